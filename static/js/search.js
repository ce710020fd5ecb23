// recap search: finds pages of the record by words, from the index the build writes
// (search-index.js sets window.RECAP_SEARCH to [url, title, section, summary, text] rows).
// No framework and no request to any other host; works under any sub-path and from disk.
(function () {
  "use strict";
  var rows = window.RECAP_SEARCH || [];
  var input = document.getElementById("search-page-q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !list) return;
  var root = (list.getAttribute("data-root") || "./").replace(/index\.html$/, "");
  var fromDisk = location.protocol === "file:";

  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  var docs = rows.map(function (r) {
    return { url: r[0], title: r[1], section: r[2], summary: r[3], text: r[4],
      t: fold(r[1]), s: fold(r[3]), x: fold(r[4]), sec: fold(r[2]) };
  });

  function count(hay, word) {
    var n = 0, i = hay.indexOf(word);
    while (i >= 0 && n < 20) { n++; i = hay.indexOf(word, i + word.length); }
    return n;
  }
  function score(d, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      var s = 10 * count(d.t, w) + 4 * count(d.s, w) + 3 * count(d.sec, w) + count(d.x, w);
      if (s === 0) return 0; // every word must be found
      if ((" " + d.t).indexOf(" " + w) >= 0) s += 5; // a title word that starts with it
      total += s;
    }
    return total;
  }
  function href(url) {
    var h = root + url;
    if (fromDisk && (h === "" || h.slice(-1) === "/")) h += "index.html";
    return h || "./";
  }
  // snippet shows the text around the first word found, cut at spaces, with every word of
  // the query in it marked.
  function snippet(d, words) {
    var text = d.text || d.summary, low = fold(text), at = -1;
    for (var i = 0; i < words.length && at < 0; i++) at = low.indexOf(words[i]);
    var p = document.createElement("p");
    if (at < 0) { p.textContent = d.summary || text.slice(0, 160); return p; }
    var start = Math.max(0, at - 70), end = Math.min(text.length, at + 160);
    if (start > 0) { var sp = text.indexOf(" ", start); if (sp >= 0 && sp < at) start = sp + 1; }
    if (end < text.length) { var ep = text.lastIndexOf(" ", end); if (ep > at) end = ep; }
    var marks = [];
    words.forEach(function (w) {
      for (var j = low.indexOf(w, start); j >= 0 && j < end; j = low.indexOf(w, j + w.length)) {
        marks.push([j, Math.min(j + w.length, end)]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var pos = start;
    p.appendChild(document.createTextNode(start > 0 ? "… " : ""));
    marks.forEach(function (m) {
      if (m[1] <= pos) return; // inside the previous mark
      var from = Math.max(m[0], pos);
      p.appendChild(document.createTextNode(text.slice(pos, from)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(from, m[1]);
      p.appendChild(mark);
      pos = m[1];
    });
    p.appendChild(document.createTextNode(text.slice(pos, end) + (end < text.length ? " …" : "")));
    return p;
  }
  function run(q) {
    var words = fold(q).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
    list.textContent = "";
    if (words.length === 0) { status.textContent = ""; return; }
    var found = [];
    for (var i = 0; i < docs.length; i++) {
      var s = score(docs[i], words);
      if (s > 0) found.push({ d: docs[i], s: s, i: i });
    }
    found.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    status.textContent = found.length === 0 ? "No page mentions " + q + "." :
      found.length + (found.length === 1 ? " page" : " pages") + " found for " + q + ".";
    found.slice(0, 50).forEach(function (f) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = href(f.d.url);
      a.textContent = f.d.title;
      li.appendChild(a);
      if (f.d.section) {
        var s = document.createElement("span");
        s.className = "result-section";
        s.textContent = " · " + f.d.section;
        li.appendChild(s);
      }
      li.appendChild(snippet(f.d, words));
      list.appendChild(li);
    });
  }
  var q = new URLSearchParams(location.search).get("q") || "";
  input.value = q;
  run(q);
  input.addEventListener("input", function () {
    run(input.value);
    if (history.replaceState && !fromDisk) {
      var u = new URL(location.href);
      if (input.value) u.searchParams.set("q", input.value); else u.searchParams.delete("q");
      history.replaceState(null, "", u);
    }
  });
})();
