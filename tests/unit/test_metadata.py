from __future__ import annotations

import json

from sitegen.metadata import script_json


def test_script_json_cannot_end_its_script_element_and_means_the_same():
    data = {"headline": "A </script><script>alert(1)</script> & B\u2028C\u2029", "n": [1, ">"]}
    text = str(script_json(data))
    for character in "<>&\u2028\u2029":
        assert character not in text
    assert json.loads(text) == data
    assert "Đảng" in str(script_json({"x": "Đảng"}))  # readable Unicode, not \\u escapes
