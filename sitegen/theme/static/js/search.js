/* sitegen search: finds articles in the index that the build wrote under /search/
   (sitegen/search/index.py), in the reader's browser, with no server.

   Words are compared in two forms, made exactly as sitegen/search/fold.py makes them:
   exact (lower case, letters without tone marks, then the tone marks: "hoà" and "hòa" are
   one word, NFC and NFD one text) and folded (no marks at all, đ -> d). Ranking: articles
   with more of the query's words first, then more words with the query's own diacritics,
   then more words in the title, then the newest. The last word matches as a prefix while it
   is being typed. Results are built with DOM calls only: index text is never parsed as HTML. */
(function () {
  "use strict";

  var TONES = /[\u0300\u0301\u0303\u0309\u0323]/g;
  var MARKS = /\p{M}/gu;
  var WORD = /(?:[\p{L}\p{N}]|[\u0300-\u036f])+/gu;
  var PAGE = 10; // results shown at a time

  function exactForm(word) {
    var decomposed = word.toLowerCase().normalize("NFD");
    var tones = decomposed.match(TONES);
    return decomposed.replace(TONES, "").normalize("NFC") + (tones ? tones.join("") : "");
  }

  function foldedForm(word) {
    return word.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(MARKS, "");
  }

  function splitExact(form) {
    var base = form.replace(/[\u0300\u0301\u0303\u0309\u0323]+$/, "");
    return { base: base, tones: form.slice(base.length) };
  }

  /* The query's words: {folded, exact, prefix}; the last one is a prefix unless the query
     ends with a space. */
  function parseQuery(text) {
    var found = text.toLowerCase().match(WORD) || [];
    var open = found.length > 0 && !/\s$/.test(text);
    return found.map(function (word, i) {
      return { folded: foldedForm(word), exact: exactForm(word), prefix: open && i === found.length - 1 };
    });
  }

  function isExact(query, form) {
    if (!query.prefix) return form === query.exact;
    var want = splitExact(query.exact);
    var have = splitExact(form);
    return have.tones === want.tones && have.base.slice(0, want.base.length) === want.base;
  }

  /* --- loading the index --------------------------------------------------------- */

  function fetchPacked(url, options) {
    return fetch(url, options).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      var stream = response.body.pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).json();
    });
  }

  function Index(base) {
    this.base = base;
    this.meta = null;
    this.chunks = new Map();
    this.docs = new Map();
  }

  Index.prototype.load = function () {
    var self = this;
    if (!this.loading) {
      this.loading = fetchPacked(this.base + "meta.bin", { cache: "no-cache" }).then(function (meta) {
        self.meta = meta;
        return meta;
      });
    }
    return this.loading;
  };

  Index.prototype.chunk = function (name) {
    if (!this.chunks.has(name)) this.chunks.set(name, fetchPacked(this.base + "t/" + name + ".bin"));
    return this.chunks.get(name);
  };

  Index.prototype.doc = function (id) {
    if (!this.docs.has(id)) this.docs.set(id, fetchPacked(this.base + "d/" + id + ".bin"));
    return this.docs.get(id);
  };

  /* Names of the chunks that may hold the query word's terms. */
  Index.prototype.chunksFor = function (query) {
    var list = this.meta.chunks;
    if (!list.length) return []; // a site without articles
    var lo = 0, hi = list.length - 1;
    while (lo < hi) { // the last chunk whose first term is <= the word
      var mid = (lo + hi + 1) >> 1;
      if (list[mid][0] <= query.folded) lo = mid; else hi = mid - 1;
    }
    var names = [list[lo][1]];
    if (query.prefix) {
      for (var i = lo + 1; i < list.length && list[i][0].slice(0, query.folded.length) === query.folded; i++) {
        names.push(list[i][1]);
      }
    }
    return names;
  };

  /* {doc id: {title, exact}} of the documents that have the query word. */
  Index.prototype.matches = function (query) {
    var self = this;
    return Promise.all(this.chunksFor(query).map(function (name) { return self.chunk(name); }))
      .then(function (chunks) { return matchesIn(chunks, query); });
  };

  function matchesIn(chunks, query) {
    var found = new Map();
    chunks.forEach(function (chunk) {
      Object.keys(chunk).forEach(function (term) {
        var wanted = query.prefix ? term.slice(0, query.folded.length) === query.folded : term === query.folded;
        if (wanted) chunk[term].forEach(function (variant) { addVariant(found, query, variant); });
      });
    });
    return found;
  }

  function addVariant(found, query, variant) {
    var exact = isExact(query, variant[0]);
    [variant[1], variant[2]].forEach(function (gaps, field) {
      var id = -1;
      for (var i = 0; i < gaps.length; i++) {
        id += gaps[i];
        var seen = found.get(id);
        if (!seen) { seen = { title: false, exact: false }; found.set(id, seen); }
        if (field === 0) seen.title = true;
        if (exact) seen.exact = true;
      }
    });
  }

  /* --- ranking and filters -------------------------------------------------------- */

  function rank(perWord, keep) {
    var scores = new Map();
    perWord.forEach(function (found) {
      found.forEach(function (seen, id) {
        if (!keep(id)) return;
        var score = scores.get(id);
        if (!score) { score = [0, 0, 0, id]; scores.set(id, score); }
        score[0] += 1;
        if (seen.exact) score[1] += 1;
        if (seen.title) score[2] += 1;
      });
    });
    return Array.from(scores.values()).sort(function (a, b) {
      return b[0] - a[0] || b[1] - a[1] || b[2] - a[2] || b[3] - a[3];
    }).map(function (score) { return score[3]; });
  }

  function yearOf(meta, id) {
    var years = meta.years, found = null;
    for (var i = 0; i < years.length && years[i][1] <= id; i++) found = years[i][0];
    return found;
  }

  function filterFor(meta, filters) {
    var section = filters.section ? meta.sections.findIndex(function (s) { return s[0] === filters.section; }) : -1;
    var subsite = filters.subsite ? meta.subsites.findIndex(function (s) { return s[0] === filters.subsite; }) : -1;
    var year = filters.year ? Number(filters.year) : null;
    return function (id) {
      if (section >= 0 && meta.section[id] !== section) return false;
      if (subsite >= 0 && meta.subsite[id] !== subsite) return false;
      return year === null || yearOf(meta, id) === year;
    };
  }

  /* --- showing results -------------------------------------------------------------- */

  function matcher(queries) {
    return function (word) {
      var folded = foldedForm(word);
      return queries.some(function (q) {
        return q.prefix ? folded.slice(0, q.folded.length) === q.folded : folded === q.folded;
      });
    };
  }

  /* Text with the matched words in <mark>, appended to `parent` as nodes. */
  function appendMarked(parent, text, isMatch) {
    var last = 0;
    for (var m of text.matchAll(WORD)) {
      if (!isMatch(m[0])) continue;
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      parent.appendChild(mark);
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  /* About 30 words of the lead or the body around the first matched word. */
  function snippet(doc, isMatch) {
    var sources = [doc.l || "", doc.x || ""];
    for (var s = 0; s < sources.length; s++) {
      for (var m of sources[s].matchAll(WORD)) {
        if (isMatch(m[0])) return around(sources[s], m.index);
      }
    }
    return around(doc.l || doc.x || "", 0);
  }

  function around(text, at) {
    var start = Math.max(0, text.lastIndexOf(" ", Math.max(0, at - 80)));
    var end = text.indexOf(" ", Math.min(text.length, at + 160));
    if (end < 0) end = text.length;
    return (start > 0 ? "… " : "") + text.slice(start, end).trim() + (end < text.length ? " …" : "");
  }

  function resultItem(doc, isMatch) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = doc.u;
    appendMarked(link, doc.t, isMatch);
    var meta = document.createElement("p");
    meta.className = "search-meta";
    meta.textContent = [doc.d, doc.s, doc.p].filter(Boolean).join(" · ");
    var text = document.createElement("p");
    text.className = "search-snippet";
    appendMarked(text, snippet(doc, isMatch), isMatch);
    item.append(link, meta, text);
    return item;
  }

  /* --- the page ------------------------------------------------------------------------ */

  function SearchPage(form) {
    this.form = form;
    this.input = form.querySelector("#search-q");
    this.status = document.getElementById("search-status");
    this.list = document.getElementById("search-results");
    this.more = document.getElementById("search-more");
    this.index = new Index(form.dataset.index);
    this.run = 0;
    this.done = 0;
    this.ranked = [];
    this.shown = 0;
  }

  SearchPage.prototype.filters = function () {
    var all = this.form.querySelector("#search-all");
    var section = this.form.querySelector("#search-section");
    if (section) section.disabled = Boolean(all && all.checked);
    return {
      section: section && !section.disabled ? section.value : "",
      year: this.form.querySelector("#search-year").value,
      subsite: all && all.checked ? "" : this.form.dataset.subsite
    };
  };

  SearchPage.prototype.say = function (key, count, query) {
    var text = this.status.dataset[key] || "";
    this.status.textContent = text.replace("{count}", String(count)).replace("{query}", query);
  };

  SearchPage.prototype.search = function () {
    var self = this;
    var text = this.input.value;
    var queries = parseQuery(text);
    var run = ++this.run;
    this.remember(text);
    if (!queries.length) {
      this.ranked = [];
      this.list.replaceChildren();
      this.more.hidden = true;
      this.say("prompt", 0, "");
      return Promise.resolve();
    }
    if (!this.index.meta) this.say("loading", 0, "");
    return this.index.load().then(function (meta) {
      return Promise.all(queries.map(function (q) { return self.index.matches(q); })).then(function (perWord) {
        if (run !== self.run) return null;
        self.ranked = rank(perWord, filterFor(meta, self.filters()));
        self.isMatch = matcher(queries);
        self.shown = 0;
        return self.showMore(true).then(function () {
          if (run !== self.run) return;
          var count = self.ranked.length;
          self.say(count === 0 ? "none" : count === 1 ? "one" : "results", count, text.trim());
          self.list.dataset.searches = String(++self.done); // for tests: one more search shown
        });
      });
    }).catch(function (error) {
      if (run === self.run) self.say("failed", 0, "");
      throw error;
    });
  };

  SearchPage.prototype.showMore = function (fresh) {
    var self = this;
    var run = this.run;
    var ids = this.ranked.slice(this.shown, this.shown + PAGE);
    return Promise.all(ids.map(function (id) { return self.index.doc(id); })).then(function (docs) {
      if (run !== self.run) return;
      var items = docs.map(function (doc) { return resultItem(doc, self.isMatch); });
      if (fresh) self.list.replaceChildren.apply(self.list, items); else self.list.append.apply(self.list, items);
      self.shown += ids.length;
      self.more.hidden = self.shown >= self.ranked.length;
    });
  };

  /* The address says what is searched, so a search can be linked and bookmarked. */
  SearchPage.prototype.remember = function (text) {
    var params = new URLSearchParams();
    if (text.trim()) params.set("q", text.trim());
    var f = this.filters();
    var all = this.form.querySelector("#search-all");
    if (f.section) params.set("section", f.section);
    if (f.year) params.set("year", f.year);
    if (all && all.checked) params.set("all", "1");
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  };

  SearchPage.prototype.restore = function () {
    var params = new URLSearchParams(location.search);
    this.input.value = params.get("q") || "";
    [["#search-section", "section"], ["#search-year", "year"]].forEach(function (pair) {
      var select = this.form.querySelector(pair[0]);
      var value = params.get(pair[1]) || "";
      if (select && Array.from(select.options).some(function (o) { return o.value === value; })) select.value = value;
    }, this);
    var all = this.form.querySelector("#search-all");
    if (all) all.checked = params.get("all") === "1";
  };

  /* Arrow keys: from the box down into the results, between them, and back up. */
  SearchPage.prototype.onKey = function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.from(this.list.querySelectorAll("li > a"));
    var at = links.indexOf(document.activeElement);
    var next;
    if (document.activeElement === this.input) next = event.key === "ArrowDown" ? links[0] : null;
    else if (at >= 0) next = event.key === "ArrowDown" ? links[at + 1] : (links[at - 1] || this.input);
    if (next) {
      event.preventDefault();
      next.focus();
    }
  };

  SearchPage.prototype.start = function () {
    var self = this;
    var search = function () { self.search().catch(function () {}); };
    this.restore();
    this.input.addEventListener("input", search);
    this.form.addEventListener("change", function (event) { if (event.target !== self.input) search(); });
    this.form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
    this.form.addEventListener("keydown", function (event) { self.onKey(event); });
    this.list.addEventListener("keydown", function (event) { self.onKey(event); });
    this.more.addEventListener("click", function () { self.showMore(false).catch(function () {}); });
    search();
  };

  /* Node loads this file for the unit tests (tests/unit/test_search_js.py). */
  if (typeof module === "object" && module.exports) {
    module.exports = {
      exactForm: exactForm, foldedForm: foldedForm, parseQuery: parseQuery, isExact: isExact,
      matchesIn: matchesIn, rank: rank, snippet: snippet, words: function (text) { return text.toLowerCase().match(WORD) || []; }
    };
    return;
  }

  var form = document.getElementById("search-form");
  if (form && window.fetch && window.DecompressionStream) new SearchPage(form).start();
  else if (form) document.getElementById("search-status").textContent = document.getElementById("search-status").dataset.failed;
}());
