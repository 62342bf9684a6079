"""Vietnamese word and sentence bank for the benchmark's article generator.

Everything here is invented for the benchmark: fictional places, people and
organisations of a provincial public body's news site. `generate.py` combines these
pieces with a seeded `random.Random`, so the same seed always gives the same text.
"""

from __future__ import annotations

SECTIONS: list[tuple[str, str, str]] = [
    ("tin-hoat-dong", "Tin hoạt động",
     "Tin tức về hoạt động của cơ quan và các đơn vị trực thuộc."),
    ("xay-dung-dang", "Xây dựng Đảng",
     "Công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị ở cơ sở."),
    ("cong-tac-can-bo", "Công tác cán bộ",
     "Tuyển chọn, đào tạo, bồi dưỡng, luân chuyển và đánh giá cán bộ."),
    ("chuyen-doi-so", "Chuyển đổi số",
     "Ứng dụng công nghệ thông tin, dữ liệu số và dịch vụ công trực tuyến."),
    ("kinh-te-xa-hoi", "Kinh tế xã hội",
     "Tình hình phát triển kinh tế, an sinh xã hội của địa phương."),
    ("van-hoa-giao-duc", "Văn hóa giáo dục",
     "Đời sống văn hóa, giáo dục, y tế và thể thao trên địa bàn."),
    ("guong-dien-hinh", "Gương điển hình",
     "Những tập thể, cá nhân tiêu biểu trong lao động và học tập."),
    ("nghien-cuu-trao-doi", "Nghiên cứu trao đổi",
     "Bài viết nghiên cứu, trao đổi kinh nghiệm và ý kiến chuyên gia."),
]

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ",
                "Hồ", "Ngô", "Dương", "Lý", "Phan", "Trương"]

AUTHORS = [
    "Nguyễn Thị Thu Hà", "Trần Văn Minh", "Lê Hoàng Nam", "Phạm Thị Lan Anh",
    "Hoàng Đức Thắng", "Huỳnh Ngọc Bích", "Võ Thanh Tùng", "Đặng Thị Hồng Nhung",
    "Bùi Quang Huy", "Đỗ Minh Châu", "Hồ Văn Lực", "Ngô Thị Mai Phương",
    "Dương Quốc Bảo", "Lý Thị Kim Oanh", "Phan Văn Đức", "Trương Ngọc Hân",
    "Nguyễn Hữu Phước", "Trần Thị Ánh Tuyết", "Lê Văn Cường", "Phạm Quốc Việt",
    "Hoàng Thị Yến", "Võ Đình Khoa", "Đặng Văn Sơn", "Bùi Thị Thanh Xuân",
    "Nguyễn Đăng Khôi", "Trần Minh Tuấn", "Lê Thị Diệu Linh", "Phạm Văn Hiếu",
    "Hồ Thị Ngọc Trâm", "Ngô Đức Toàn",
]

ORGANISATIONS = [
    "Ban Tổ chức Tỉnh ủy", "Văn phòng Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy",
    "Ủy ban Kiểm tra Tỉnh ủy", "Đảng ủy Khối cơ quan tỉnh", "Sở Nội vụ",
    "Sở Thông tin và Truyền thông", "Trung tâm Truyền thông tỉnh",
]

PLACES = [
    "huyện Phú Hòa", "huyện Tân Lập", "huyện Đông Sơn", "huyện Mỹ Lợi", "huyện An Phước",
    "huyện Bình Thạnh", "huyện Long Điền", "thị xã Hòa Bình", "thị xã Cát Tiên",
    "thành phố Tân An", "xã Hòa Lạc", "xã Thạnh Phú", "xã Vĩnh Xuân", "xã Tân Hưng",
    "phường An Lạc", "phường Hưng Long", "xã Đông Thạnh", "xã Phước Lộc",
    "thị trấn Mỹ Xuyên", "xã Long Hựu",
]

SUBJECTS = [
    "Ban Thường vụ Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Ủy ban nhân dân tỉnh",
    "Hội đồng nhân dân tỉnh", "Sở Nội vụ", "Sở Thông tin và Truyền thông",
    "Đảng ủy Khối cơ quan tỉnh", "Ủy ban Mặt trận Tổ quốc tỉnh", "Tỉnh đoàn",
    "Hội Liên hiệp Phụ nữ tỉnh", "Hội Nông dân tỉnh", "Liên đoàn Lao động tỉnh",
    "Ban Chỉ đạo chuyển đổi số", "Trường Chính trị tỉnh", "Sở Giáo dục và Đào tạo",
    "Sở Kế hoạch và Đầu tư", "Huyện ủy Phú Hòa", "Thành ủy Tân An",
    "Đảng ủy xã Hòa Lạc", "Chi bộ khu phố 3",
]

ACTIONS = [
    "tổ chức hội nghị sơ kết", "triển khai kế hoạch", "ban hành hướng dẫn về",
    "kiểm tra việc thực hiện", "đánh giá kết quả", "quán triệt nghị quyết về",
    "tổng kết mô hình", "phát động phong trào", "tập huấn nghiệp vụ về",
    "giám sát chuyên đề về", "khảo sát thực tế về", "tọa đàm về",
    "rà soát, bổ sung quy hoạch về", "đẩy mạnh", "nâng cao hiệu quả",
    "thí điểm", "hoàn thiện quy chế về", "lấy ý kiến góp ý về",
]

TOPICS = [
    "công tác phát triển đảng viên", "chuyển đổi số trong cơ quan đảng",
    "cải cách hành chính", "dịch vụ công trực tuyến", "đào tạo, bồi dưỡng cán bộ",
    "luân chuyển cán bộ", "sinh hoạt chi bộ", "xây dựng nông thôn mới",
    "phòng, chống tham nhũng", "quản lý hồ sơ đảng viên", "đánh giá, xếp loại tổ chức đảng",
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "bảo vệ nền tảng tư tưởng của Đảng",
    "công tác dân vận", "an sinh xã hội", "phát triển du lịch cộng đồng",
    "chuyển đổi cơ cấu cây trồng", "giáo dục nghề nghiệp", "chăm sóc sức khỏe ban đầu",
    "xây dựng chính quyền số", "số hóa tài liệu lưu trữ", "thu hút đầu tư",
    "quy chế dân chủ ở cơ sở", "công tác thi đua, khen thưởng", "bồi dưỡng lý luận chính trị",
    "tinh giản biên chế", "sắp xếp đơn vị hành chính cấp xã", "kinh tế tập thể",
]

TIMES = [
    "Sáng nay", "Chiều qua", "Trong tuần này", "Đầu tháng", "Cuối năm ngoái",
    "Trong quý vừa qua", "Từ đầu năm đến nay", "Sáng ngày 15", "Chiều ngày 22",
    "Trong hai ngày", "Vừa qua", "Trong nhiệm kỳ qua",
]

SOURCES = [
    "báo cáo của Ban Tổ chức Tỉnh ủy", "số liệu của Cục Thống kê tỉnh",
    "đánh giá của đoàn kiểm tra", "kết quả khảo sát năm nay", "thông tin từ Sở Nội vụ",
    "báo cáo sơ kết của Huyện ủy", "ý kiến của nhiều đại biểu", "đại diện lãnh đạo sở",
]

ROLES = [
    "Phó Bí thư Thường trực Tỉnh ủy", "Trưởng Ban Tổ chức Tỉnh ủy", "Chủ tịch Ủy ban nhân dân tỉnh",
    "Bí thư Huyện ủy", "Giám đốc Sở Nội vụ", "Phó Trưởng ban Tuyên giáo",
    "Bí thư Đảng ủy xã", "Chủ nhiệm Ủy ban Kiểm tra", "Bí thư Tỉnh đoàn",
]

EVENTS = [
    "hội nghị", "buổi làm việc", "lễ ra mắt", "buổi tọa đàm", "lớp tập huấn",
    "phiên họp thường kỳ", "hội thảo khoa học", "lễ trao giải",
]

EMPHASES = [
    "vai trò nêu gương của người đứng đầu", "sự cần thiết phải đổi mới phương thức lãnh đạo",
    "yêu cầu lấy người dân làm trung tâm", "trách nhiệm của từng cán bộ, đảng viên",
    "ý nghĩa của việc số hóa dữ liệu", "tầm quan trọng của công tác kiểm tra, giám sát",
    "việc phát huy sức mạnh khối đại đoàn kết", "yêu cầu công khai, minh bạch trong mọi khâu",
    "sự phối hợp chặt chẽ giữa các ngành", "việc bám sát thực tiễn ở cơ sở",
]

DIRECTIVES = [
    "tiếp tục rà soát, bổ sung kế hoạch", "tập trung tháo gỡ khó khăn cho cơ sở",
    "nâng cao chất lượng sinh hoạt chi bộ", "đẩy nhanh tiến độ giải ngân vốn đầu tư công",
    "cập nhật đầy đủ dữ liệu lên hệ thống", "tăng cường kiểm tra, đôn đốc",
    "phát huy tinh thần trách nhiệm", "chủ động nắm bắt tâm tư của người dân",
    "đổi mới hình thức tuyên truyền", "bảo đảm an toàn thông tin mạng",
    "kịp thời biểu dương tập thể, cá nhân tiêu biểu", "xử lý dứt điểm các kiến nghị tồn đọng",
]

PURPOSES = [
    "góp phần hoàn thành các chỉ tiêu của nghị quyết", "tạo sự đồng thuận trong nhân dân",
    "xây dựng đội ngũ cán bộ đủ phẩm chất, năng lực", "nâng cao chỉ số hài lòng của người dân",
    "giảm thời gian giải quyết thủ tục hành chính", "thúc đẩy kinh tế địa phương phát triển",
    "củng cố niềm tin của nhân dân đối với Đảng", "bảo đảm hiệu quả, tiết kiệm",
]

ACHIEVEMENTS: list[tuple[str, str]] = [
    ("đã kết nạp", "đảng viên mới"), ("đã đào tạo", "cán bộ, công chức"),
    ("đã hỗ trợ", "hộ gia đình"), ("đã số hóa", "hồ sơ"),
    ("đã giải quyết", "thủ tục hành chính"), ("đã xây dựng mới", "căn nhà tình nghĩa"),
    ("đã tiếp đón", "lượt người dân"), ("đã nhân rộng", "mô hình kinh tế"),
]

UNITS = [
    "cán bộ, công chức", "đoàn viên", "hội viên", "đảng viên", "hộ gia đình", "học viên",
    "tổ chức cơ sở đảng", "doanh nghiệp",
]

CONNECTORS = [
    "Bên cạnh đó", "Tuy nhiên", "Đồng thời", "Ngoài ra", "Qua đó", "Mặt khác",
    "Thời gian tới", "Trên cơ sở đó", "Cùng với đó", "Nhìn chung",
]

QUOTES = [
    "Mỗi cán bộ phải là một tấm gương để người dân noi theo",
    "Chúng tôi luôn lắng nghe ý kiến của bà con trước khi quyết định",
    "Chuyển đổi số không phải là việc của riêng ngành nào",
    "Kết quả hôm nay là nhờ sự đồng lòng của cả hệ thống chính trị",
    "Cái khó nhất vẫn là thay đổi thói quen làm việc cũ",
    "Người dân hài lòng là thước đo rõ ràng nhất",
]

HEADINGS = [
    "Kết quả nổi bật", "Những khó khăn, vướng mắc", "Giải pháp trong thời gian tới",
    "Kinh nghiệm từ cơ sở", "Nhiệm vụ trọng tâm", "Ý kiến của người dân",
    "Cách làm sáng tạo", "Bài học kinh nghiệm", "Số liệu đáng chú ý", "Hướng đi mới",
    "Những con số biết nói", "Đổi mới phương thức lãnh đạo",
]

TITLE_OPENERS = [
    "Nâng cao chất lượng", "Đẩy mạnh", "Đổi mới", "Tăng cường", "Hiệu quả từ",
    "Tích cực triển khai", "Nhiều kết quả trong", "Chú trọng", "Phát huy vai trò trong",
    "Sơ kết", "Tổng kết", "Tháo gỡ vướng mắc trong",
]

IMAGE_ALTS = [
    "Quang cảnh hội nghị", "Đại biểu tham dự buổi làm việc", "Lãnh đạo tỉnh trao quà",
    "Cán bộ hướng dẫn người dân", "Toàn cảnh lễ ra mắt", "Đoàn công tác thăm mô hình",
    "Học viên lớp bồi dưỡng", "Người dân làm thủ tục trực tuyến",
]

CODE_SNIPPETS: list[tuple[str, str]] = [
    ("python", 'def ty_le(dat: int, tong: int) -> float:\n    """Tỷ lệ hoàn thành."""\n'
               "    return round(100 * dat / tong, 1) if tong else 0.0\n"),
    ("bash", "# Xuất dữ liệu đảng viên ra tệp CSV\n"
             "dangvien export --nam 2024 --dinh-dang csv > dang-vien-2024.csv\n"),
    ("json", '{\n  "don_vi": "Chi bộ khu phố 3",\n  "so_dang_vien": 42,\n'
             '  "xep_loai": "Hoàn thành tốt nhiệm vụ"\n}\n'),
]

TAG_TOPICS = [
    "chuyển đổi số", "cải cách hành chính", "công tác cán bộ", "phát triển đảng viên",
    "nông thôn mới", "an sinh xã hội", "giáo dục", "y tế", "du lịch", "thanh niên",
    "phụ nữ", "nông dân", "công đoàn", "kiểm tra giám sát", "dân vận", "tuyên giáo",
    "thi đua khen thưởng", "quy chế dân chủ", "đào tạo bồi dưỡng", "dịch vụ công",
    "chính quyền số", "kinh tế tập thể", "đầu tư công", "văn hóa", "thể thao",
    "môi trường", "phòng chống tham nhũng", "luân chuyển cán bộ", "sinh hoạt chi bộ",
    "học tập và làm theo Bác", "bảo vệ nền tảng tư tưởng", "lưu trữ", "an toàn thông tin",
    "khởi nghiệp", "hợp tác xã", "người cao tuổi", "cựu chiến binh", "biên giới", "biển đảo",
    "đại hội đảng",
]
