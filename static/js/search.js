// recap search: finds pages of the record by words, reading only the parts of the index a
// query needs. The index (written by the build, see generator/search) is a set of scripts
// that register their data with self.recapSearch.push({...}); this script adds <script>
// tags for the files it needs, so search works from disk (file://), under any sub-path and
// on any host, with no fetch and no request to another host.
(function () {
  "use strict";
  var list = document.getElementById("search-results");
  var input = document.getElementById("search-page-q");
  var status = document.getElementById("search-status");
  var filters = document.getElementById("search-filters");
  var more = document.getElementById("search-more");
  if (!list || !input || !status) return;
  var root = (list.getAttribute("data-root") || "./").replace(/index\.html$/, "");
  var dir = list.getAttribute("data-index") || root + "search-index/";
  var fromDisk = location.protocol === "file:";
  var PAGE = 10;
  // The words of the page's language, from the template (templates/i18n), {n} and the
  // like filled in here.
  var lang = document.documentElement.lang || "en";
  function text(key, fallback, vars) {
    var t = list.getAttribute("data-" + key) || fallback;
    return t.replace(/\{(\w+)\}/g, function (m, k) { return vars && k in vars ? vars[k] : m; });
  }
  // The plural rule and the number format of the language, made once when the page loads:
  // the first use of either reads the browser's locale data, which takes tens of
  // milliseconds, and should not fall between a keystroke and its results.
  var plural = null, numbers = null;
  try { plural = new Intl.PluralRules(lang); plural.select(2); } catch (e) { plural = null; }
  try { numbers = new Intl.NumberFormat(lang); numbers.format(1000); } catch (e) { numbers = null; }
  function found(n, q) {
    var form = plural ? (plural.select(n) === "one" ? "one" : "other") : (n === 1 ? "one" : "other");
    return text("found-" + form, form === "one" ? "{n} page found for {q}" : "{n} pages found for {q}", { n: numbers ? numbers.format(n) : String(n), q: q });
  }

  // --- the index: chunks registered by the index files ---
  var chunks = {}, meta = null, files = {};
  // own returns o's own member k: a word such as "constructor" is not in every object.
  function own(o, k) { return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined; }
  function register(obj) {
    for (var k in obj) if (Object.prototype.hasOwnProperty.call(obj, k)) chunks[k] = obj[k];
    if (obj.m) meta = obj.m;
  }
  var queue = self.recapSearch = self.recapSearch || [];
  queue.forEach(register);
  queue.push = function (obj) { register(obj); return queue.length; };

  // load returns a promise of file n of the index (0, the entry, is loaded by the page).
  function load(n) {
    if (n === 0) return Promise.resolve();
    if (!files[n]) {
      files[n] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = dir + n + ".js";
        s.onload = function () { resolve(); };
        s.onerror = function () { delete files[n]; reject(new Error("cannot load " + s.src)); };
        document.head.appendChild(s);
      });
    }
    return files[n];
  }
  function chunk(name, file) {
    if (chunks[name]) return Promise.resolve(chunks[name]);
    return load(file).then(function () { return chunks[name] || {}; });
  }
  // lastLE returns the index of the last entry of a sorted [[first, file], ...] list whose
  // first is at most key (0 when none is).
  function lastLE(arr, key) {
    var lo = 0, hi = arr.length - 1, at = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (arr[mid][0] <= key) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at;
  }
  function termChunk(i) { return chunk("t" + i, meta.t[i][1]); }
  // entry returns the index entry of a key, or undefined.
  function entry(key) {
    return termChunk(lastLE(meta.t, key)).then(function (c) { return own(c, key); });
  }
  // withPrefix returns the keys that begin with p, from at most six chunks (term chunks are
  // small: see generator/search).
  function withPrefix(p) {
    var from = lastLE(meta.t, p), to = lastLE(meta.t, p + "\uffff");
    if (to - from > 5) to = from + 5;
    var waits = [];
    for (var i = from; i <= to; i++) waits.push(termChunk(i));
    return Promise.all(waits).then(function (cs) {
      var keys = [];
      cs.forEach(function (c) {
        for (var k in c) if (k.lastIndexOf(p, 0) === 0) keys.push(k);
      });
      return keys;
    });
  }

  // --- words ---
  var special = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i" };
  // fold is generator/search's Fold: no case, no accents, ß as ss and the like.
  var ascii = /^[\x00-\x7f]*$/;
  function fold(s) {
    if (ascii.test(s)) return s.toLowerCase();
    return s.normalize("NFKD").replace(/[\p{Mn}\p{Me}]/gu, "").toLowerCase()
      .replace(/[ßæœøłđðþı]/g, function (c) { return special[c]; });
  }
  var wordRe = /[\p{L}\p{N}\p{M}]+/gu;
  function words(s) { return fold(s).match(wordRe) || []; }
  // The first use of a regular expression compiles it, and the first element of a kind
  // makes the browser set up that kind: both done here, when the page loads, rather than
  // between a keystroke and its results.
  words("Zoë Straße");
  ["li", "a", "span", "p", "mark", "button"].forEach(function (t) { document.createElement(t); });

  // within1 reports whether a and b are at most one edit apart (a letter added, dropped,
  // changed, or two neighbours swapped).
  function within1(a, b) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (i === a.length && i === b.length) return true;
    var ra = a.slice(i + 1).join(""), rb = b.slice(i + 1).join("");
    if (a.length === b.length) {
      if (ra === rb) return true; // changed
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2).join("") === b.slice(i + 2).join(""); // swapped
    }
    if (a.length > b.length) return ra === b.slice(i).join("");
    return a.slice(i).join("") === rb;
  }
  // typos returns the keys one edit from w, found through the groups of words that share
  // two of its first three letters.
  function typos(w) {
    var r = Array.from(w);
    if (r.length < 5 || !meta.y.length) return Promise.resolve([]);
    var groups = [r[0] + r[1], r[1] + r[2], r[0] + r[2]];
    var need = {};
    groups.forEach(function (g) {
      var i = lastLE(meta.y, g);
      // A group's words may run on into the next chunks.
      while (i < meta.y.length && meta.y[i][0] <= g) { need[i] = true; i++; }
    });
    var waits = Object.keys(need).map(function (i) { return chunk("y" + i, meta.y[i][1]); });
    return Promise.all(waits).then(function (cs) {
      var found = {};
      cs.forEach(function (c) {
        groups.forEach(function (g) {
          (own(c, g) || "").split(" ").forEach(function (k) { if (k && within1(k, w)) found[k] = true; });
        });
      });
      return Object.keys(found);
    });
  }

  // terms returns the terms a key leads to: itself when it has postings, and those its word
  // is stemmed to.
  function termsOf(key, e) {
    if (e === undefined) return [];
    if (typeof e === "string") return e.split(" ");
    var out = [key];
    if (typeof e[5] === "string") out = out.concat(e[5].split(" "));
    return out;
  }
  // group resolves one word of the query to the terms it matches and the words to mark in
  // snippets. The last word, still being typed, also matches every word it begins.
  function group(w, prefix) {
    var keysP = prefix && Array.from(w).length >= 2 ? withPrefix(w) : entry(w).then(function (e) { return e === undefined ? [] : [w]; });
    return keysP.then(function (keys) {
      if (keys.length) return { keys: keys, typo: false };
      return typos(w).then(function (ks) { return { keys: ks, typo: true }; });
    }).then(function (g) {
      return Promise.all(g.keys.map(function (k) { return entry(k).then(function (e) { return termsOf(k, e); }); }))
        .then(function (lists) {
          var terms = {};
          lists.forEach(function (l) { l.forEach(function (t) { terms[t] = true; }); });
          return { word: w, prefix: prefix, keys: g.keys, typo: g.typo, terms: Object.keys(terms) };
        });
    });
  }

  // --- postings ---
  var digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  function decode(s, best, into) {
    var doc = -1, i = 0;
    while (i < s.length) {
      var gap = 0, shift = 0, d;
      while ((d = digits.indexOf(s[i++])) >= 32) { gap += (d - 32) * Math.pow(2, shift); shift += 5; }
      gap += d * Math.pow(2, shift);
      doc += gap;
      into(doc, digits.indexOf(s[i++]) / 63 * best);
    }
  }
  // postings calls into(page, score) for every page of a term.
  function postings(term) {
    return entry(term).then(function (e) {
      if (!e || typeof e === "string") return function () {};
      var best = e[1] / 1e6; // the term's best score, in millionths
      if (!e[4]) return function (into) { e[3].forEach(function (c) { into(c[0], c[1] / 63 * best); }); };
      var waits = [];
      for (var i = e[4][0]; i < e[4][1]; i++) waits.push(chunk("p" + i, meta.p[i]));
      return Promise.all(waits).then(function (cs) {
        var s = cs.map(function (c) { return own(c, term) || ""; }).join("");
        return function (into) { decode(s, best, into); };
      });
    });
  }
  function sectionOf(doc) {
    var at = 0;
    for (var i = 0; i < meta.sec.length; i++) if (meta.sec[i][2] >= 0 && meta.sec[i][2] <= doc) at = i;
    return at;
  }
  function record(doc) {
    var i = lastLE(meta.d, doc);
    return chunk("d" + i, meta.d[i][1]).then(function (c) { return c.r[doc - meta.d[i][0]]; });
  }

  // --- a search ---
  // search returns {total, counts by section, hits: [{doc, score}], cards: {doc: card}}.
  // A word's best pages come with its entry (its head, as cards with a snippet): the best
  // pages of one word are its head, and those of a word still being typed, which matches
  // several terms, are among the heads of those terms (a page ranked first by one of its
  // terms has fewer pages above it in that term than in all of them). early, when given, is
  // called with those as soon as the term entries are read, before the postings that count
  // every page; the final result then keeps the same pages.
  function search(groups, section, limit, early) {
    var terms = [];
    groups.forEach(function (g) { g.terms.forEach(function (t) { if (terms.indexOf(t) < 0) terms.push(t); }); });
    return Promise.all(terms.map(entry)).then(function (es) {
      var cards = headCards(es);
      var whole = !meta.text && section < 0 && groups.length === 1 && es.every(function (e) {
        return e && typeof e !== "string" && e[3].length >= Math.min(limit, e[0]);
      });
      if (whole && es.length === 1) {
        var e = es[0];
        var hits = e[3].slice(0, limit).map(function (c) { return { doc: c[0], score: c[1] }; });
        return { total: e[0], counts: e[2], hits: hits, cards: cards };
      }
      if (whole && early) {
        var best = new Map();
        es.forEach(function (e) {
          var b = e[1] / 1e6;
          e[3].forEach(function (c) { var s = c[1] / 63 * b; if (!(best.get(c[0]) >= s)) best.set(c[0], s); });
        });
        early({ hits: ranked(best, -1).slice(0, limit), cards: cards });
      }
      return full(groups, section, limit, cards);
    });
  }
  // headCards returns the cards (with their snippet) of the heads of term entries, by page.
  function headCards(es) {
    var cards = {};
    es.forEach(function (e) {
      if (!e || typeof e === "string") return;
      e[3].forEach(function (c) { if (!cards[c[0]]) cards[c[0]] = c; });
    });
    return cards;
  }
  // ranked returns the pages of a Map of scores (of one section, unless section < 0), best
  // first, the earlier page first among equals.
  function ranked(scores, section) {
    var hits = [];
    scores.forEach(function (s, doc) { if (section < 0 || sectionOf(doc) === section) hits.push({ doc: doc, score: s }); });
    return hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
  }
  function full(groups, section, limit, cards) {
    return Promise.all(groups.map(function (g) { return Promise.all(g.terms.map(postings)); })).then(function (fss) {
      var scores = null;
      fss.forEach(function (fs) {
        var best = new Map();
        fs.forEach(function (f) { f(function (doc, s) { if (!(best.get(doc) >= s)) best.set(doc, s); }); });
        if (scores === null) { scores = best; return; }
        var next = new Map();
        scores.forEach(function (s, doc) { if (best.has(doc)) next.set(doc, s + best.get(doc)); });
        scores = next;
      });
      scores = scores || new Map();
      var counts = meta.sec.map(function () { return 0; });
      scores.forEach(function (s, doc) { counts[sectionOf(doc)]++; });
      return { total: scores.size, counts: counts, hits: ranked(scores, section).slice(0, limit), cards: cards };
    });
  }

  // --- showing results ---
  function href(url, anchor) {
    var h = root + url;
    if (fromDisk && (h === "" || h.slice(-1) === "/")) h += "index.html";
    return (h || "./") + (anchor ? "#" + anchor : "");
  }
  function marker(groups) {
    var exact = Object.create(null), starts = [];
    groups.forEach(function (g) {
      if (g.prefix && !g.typo) starts.push(g.word);
      g.keys.forEach(function (k) { exact[k] = true; });
      g.terms.forEach(function (t) { if (Array.from(t).length >= 3) starts.push(t); else exact[t] = true; });
    });
    var seen = new Map();
    return function (w) {
      var yes = seen.get(w);
      if (yes !== undefined) return yes;
      var f = fold(w);
      yes = !!exact[f];
      for (var i = 0; i < starts.length && !yes; i++) if (f.lastIndexOf(starts[i], 0) === 0) yes = true;
      seen.set(w, yes);
      return yes;
    };
  }
  // snippet fills p with text, marking the words that match.
  function fillSnippet(p, text, isMatch) {
    var pos = 0, m;
    wordRe.lastIndex = 0;
    while ((m = wordRe.exec(text)) !== null) {
      if (!isMatch(m[0])) continue;
      p.appendChild(document.createTextNode(text.slice(pos, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      p.appendChild(mark);
      pos = m.index + m[0].length;
    }
    p.appendChild(document.createTextNode(text.slice(pos)));
  }
  // around cuts about 200 characters of a page's text around its first matching word, and
  // finds the heading it falls under.
  function around(rec, isMatch) {
    var text = rec[3] || "", at = -1, m;
    wordRe.lastIndex = 0;
    while ((m = wordRe.exec(text)) !== null) if (isMatch(m[0])) { at = m.index; break; }
    var heading = null;
    (rec[4] || []).forEach(function (h) { if (at >= 0 && h[2] <= at) heading = h; });
    if (at < 0) at = 0;
    var start = Math.max(0, at - 70), end = Math.min(text.length, start + 220);
    if (start > 0) { var sp = text.indexOf(" ", start); if (sp >= 0 && sp < at) start = sp + 1; }
    if (end < text.length) { var ep = text.lastIndexOf(" ", end); if (ep > at) end = ep; }
    return { text: (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : ""),
      anchor: heading ? heading[0] : "", heading: heading ? heading[1] : "" };
  }
  function item(i, card, rec, isMatch) {
    var url, title, sec, snip;
    if (card && card.length > 5) {
      url = card[2]; title = card[3]; sec = card[4];
      snip = { text: card[5], anchor: card[6] || "", heading: card[7] || "" };
    } else {
      url = rec[0]; title = rec[1]; sec = rec[2];
      snip = meta.text ? around(rec, isMatch) : { text: rec[3] || "", anchor: "", heading: "" };
    }
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.className = "result-title";
    a.href = href(url);
    a.textContent = title;
    li.appendChild(a);
    if (meta.sec[sec] && meta.sec[sec][1]) {
      var s = document.createElement("span");
      s.className = "result-section";
      s.textContent = meta.sec[sec][1];
      li.appendChild(document.createTextNode(" "));
      li.appendChild(s);
    }
    if (snip.text) {
      var p = document.createElement("p");
      p.className = "result-snippet";
      fillSnippet(p, snip.text, isMatch);
      li.appendChild(p);
    }
    if (snip.anchor) {
      var h = document.createElement("a");
      h.className = "result-heading";
      h.href = href(url, snip.anchor);
      h.textContent = "§ " + snip.heading;
      li.appendChild(h);
    }
    return li;
  }

  var current = { q: null, section: -1, limit: PAGE }, run = 0;
  function say(text) { status.textContent = text; }
  // show searches for q and shows the results. The results of the previous search stay
  // until those of this one are ready, so that the list does not flash empty as one types.
  function show(q, section, limit) {
    var mine = ++run;
    var ws = words(q);
    if (!ws.length || !meta) {
      list.textContent = "";
      if (filters) filters.textContent = "";
      if (more) more.hidden = true;
      say(ws.length ? text("failed", "The search index did not load: rebuild the site, or try again.") : "");
      return Promise.resolve();
    }
    // The last word is still being typed unless a space follows it.
    var typing = !/[\s]$/.test(q);
    var groups, shown = null;
    // put shows hits, from their cards or their page records.
    function put(hits, cards, recs, isMatch) {
      list.textContent = "";
      hits.forEach(function (h, i) { list.appendChild(item(i, cards[h.doc], recs[i], isMatch)); });
      shown = hits.map(function (h) { return h.doc; });
    }
    // fill shows hits, reading the page records of those with no card first, unless they are
    // the pages shown already.
    function fill(hits, cards, isMatch) {
      var same = shown !== null && shown.length === hits.length && hits.every(function (h, i) { return h.doc === shown[i]; });
      if (same) return Promise.resolve(true);
      return Promise.all(hits.map(function (h) {
        var c = cards[h.doc];
        return c && c.length > 5 ? null : record(h.doc);
      })).then(function (recs) {
        if (mine !== run) return false;
        put(hits, cards, recs, isMatch);
        return true;
      });
    }
    return Promise.all(ws.map(function (w, i) { return group(w, typing && i === ws.length - 1); })).then(function (gs) {
      groups = gs;
      if (mine !== run) return;
      if (groups.some(function (g) { return g.terms.length === 0; })) return { total: 0, counts: [], hits: [], cards: {} };
      var isMatch = marker(groups);
      return search(groups, section, limit, function (r) {
        // The best pages, before the count of all: shown, and the status cleared until the
        // count comes (said once, for screen readers).
        if (mine !== run || !r.hits.every(function (h) { var c = r.cards[h.doc]; return c && c.length > 5; })) return;
        put(r.hits, r.cards, [], isMatch);
        say("");
        if (filters) filters.textContent = "";
        if (more) more.hidden = true;
      });
    }).then(function (r) {
      if (!r || mine !== run) return;
      return fill(r.hits, r.cards, marker(groups)).then(function (ok) {
        if (!ok || mine !== run) return;
        var n = section < 0 ? r.total : r.counts[section] || 0;
        var label = "“" + q.trim() + "”";
        var fixed = groups.filter(function (g) { return g.typo; }).map(function (g) { return g.keys.join(", "); });
        say(n === 0 ? text("none", "No page found for {q}.", { q: label }) :
          found(n, label) +
          (section >= 0 ? " " + text("in", "in {section}", { section: meta.sec[section][1] }) : "") +
          (fixed.length ? " (" + text("also", "also as {words}", { words: fixed.join("; ") }) + ")" : "") + ".");
        if (filters) filters.textContent = "";
        showFilters(r, section);
        if (more) more.hidden = r.hits.length >= n;
      });
    }).catch(function (err) {
      if (mine !== run) return;
      list.textContent = "";
      say(text("failed", "The search index did not load: rebuild the site, or try again.") + " (" + err.message + ")");
    });
  }
  function showFilters(r, section) {
    if (!filters || r.total === 0) return;
    var add = function (label, n, sec) {
      var b = document.createElement("button");
      b.type = "button";
      b.setAttribute("aria-pressed", String(sec === section));
      b.setAttribute("data-section", String(sec));
      b.textContent = label + " ";
      var c = document.createElement("span");
      c.className = "count";
      c.textContent = String(n);
      b.appendChild(c);
      filters.appendChild(b);
    };
    add(text("all", "All"), r.total, -1);
    meta.sec.forEach(function (s, i) { if (s[1] && r.counts[i]) add(s[1], r.counts[i], i); });
  }
  function sectionIndex(name) {
    if (!meta || !name) return -1;
    for (var i = 0; i < meta.sec.length; i++) if (meta.sec[i][0] === name) return i;
    return -1;
  }
  // address puts the query in the page's address, so that it can be shared. Changing the
  // address takes the browser (and the page's main thread) tens of milliseconds: it waits
  // until the results have shown and the reader has stopped typing for a moment, so that it
  // delays neither the files a search needs nor the results on screen.
  var addressTimer = 0;
  function address(q, section) {
    clearTimeout(addressTimer);
    addressTimer = setTimeout(function () { setAddress(q, section); }, 300);
  }
  function setAddress(q, section) {
    if (current.q !== q || current.section !== section) return; // a later search will
    try {
      var u = new URL(location.href);
      if (q) u.searchParams.set("q", q); else u.searchParams.delete("q");
      if (section >= 0) u.searchParams.set("section", meta.sec[section][0]); else u.searchParams.delete("section");
      if (u.href !== location.href) history.replaceState(null, "", u);
    } catch (e) { /* some browsers refuse to change a file:// address */ }
  }
  // latest is the search under way or last done: until it is done, the list may still show
  // the results of the one before (and says so with aria-busy).
  var latest = Promise.resolve();
  function update(q, section, limit) {
    current = { q: q, section: section, limit: limit };
    var set = function () { address(q, section); };
    list.setAttribute("aria-busy", "true");
    var mine = latest = show(q, section, limit).then(set, set).then(function () {
      if (latest === mine) list.removeAttribute("aria-busy");
    });
    return mine;
  }

  // --- wiring ---
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  var start = update(input.value, sectionIndex(params.get("section")), PAGE);
  self.recapSearchReady = start;
  input.addEventListener("input", function () { update(input.value, current.section, PAGE); });
  input.form && input.form.addEventListener("submit", function (e) {
    e.preventDefault();
    // Enter opens the first result of what was typed, not of a search before it.
    latest.then(function () {
      var first = list.querySelector("a.result-title");
      if (first) first.click(); else update(input.value, current.section, PAGE);
    });
  });
  if (filters) filters.addEventListener("click", function (e) {
    var b = e.target.closest("button[data-section]");
    if (!b) return;
    var sec = Number(b.getAttribute("data-section"));
    update(current.q, sec === current.section ? -1 : sec, PAGE).then(function () {
      var again = filters.querySelector('button[data-section="' + (sec === current.section ? sec : -1) + '"]');
      if (again) again.focus();
    });
  });
  if (more) more.addEventListener("click", function () {
    var shown = list.children.length;
    update(current.q, current.section, current.limit + PAGE).then(function () {
      var next = list.children[shown] && list.children[shown].querySelector("a");
      if (next) next.focus();
    });
  });
  function links() { return Array.prototype.slice.call(list.querySelectorAll("a.result-title")); }
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") {
      var l = links();
      if (l.length) { e.preventDefault(); l[0].focus(); }
    } else if (e.key === "Escape") {
      if (input.value) { e.preventDefault(); input.value = ""; update("", -1, PAGE); }
    }
  });
  list.addEventListener("keydown", function (e) {
    var l = links(), i = l.indexOf(document.activeElement);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (i < 0) {
        var li = document.activeElement.closest("li");
        i = li ? Array.prototype.indexOf.call(list.children, li) : -1;
      }
      e.preventDefault();
      var j = e.key === "ArrowDown" ? i + 1 : i - 1;
      if (j < 0) input.focus(); else if (j < l.length) l[j].focus();
    } else if (e.key === "Escape") {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target, tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
})();
