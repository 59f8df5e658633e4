/* Site search UI: the header box's results popup on every page, and search.html.
 *
 * Nothing loads until the reader first focuses a search box (search.html loads at once):
 * then lunr.min.js, search-engine.js and the index entry point arrive as <script> tags —
 * which work from file:// where fetch() does not — and the engine loads term shards and
 * document chunks as queries need them. Keyboard: `/` focuses search, arrow keys move
 * through results, Enter opens one, Escape clears.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 120;
  var POPUP_RESULTS = 8;
  var PAGE_RESULTS = 10;
  var SNIPPET_WORDS = 32;
  var root = document.body.getAttribute("data-root") || "";
  var assets = root + "assets/";
  var enginePromise = null;

  /* --- loading ------------------------------------------------------------------------- */

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;
      script.onload = function () { script.remove(); resolve(); };
      script.onerror = function () { script.remove(); reject(new Error("Could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  function loadData(name) {
    var file = name === "index" ? "search-index.js" : "search/" + name + ".js";
    return loadScript(assets + file).then(function () {
      var store = window.SEARCH_DATA || {}, payload = store[name];
      delete store[name];
      return payload;
    });
  }

  function engine() {
    if (!enginePromise) {
      enginePromise = Promise.all([
        loadScript(assets + "lunr.min.js"),
        loadScript(assets + "search-engine.js"),
        loadData("index")
      ]).then(function (loaded) {
        var eng = new window.SiteSearch.Engine(loaded[2], window.lunr, loadData);
        setTimeout(function () { eng.lunrIndex(); }, 0); // while the reader is still typing
        return eng;
      });
      enginePromise.catch(function () { enginePromise = null; }); // let a later focus retry
    }
    return enginePromise;
  }

  function addStylesheet() {
    if (document.querySelector('link[href$="assets/search.css"]')) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = assets + "search.css";
    document.head.appendChild(link);
  }

  /* --- rendering ----------------------------------------------------------------------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function marked(parent, segments) {
    segments.forEach(function (s) {
      parent.appendChild(s[1] ? el("mark", "", s[0]) : document.createTextNode(s[0]));
    });
    return parent;
  }

  function resultItem(eng, doc, matched) {
    var item = el("li", "search-result");
    var link = el("a", "search-hit");
    link.href = root + doc.path;
    marked(link.appendChild(el("span", "search-title")), eng.marks(doc.title, matched));
    marked(link.appendChild(el("span", "search-snippet")), eng.snippet(doc.text, matched, SNIPPET_WORDS));
    if (doc.tags.length) {
      var tags = link.appendChild(el("span", "search-tags"));
      doc.tags.forEach(function (t) { tags.appendChild(el("span", "search-tag", t.title)); });
    }
    item.appendChild(link);
    return item;
  }

  function searchUrl(query, tag) {
    var params = [];
    if (query) params.push("q=" + encodeURIComponent(query));
    if (tag) params.push("tag=" + encodeURIComponent(tag));
    return root + "search.html" + (params.length ? "?" + params.join("&") : "");
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  /* "No results" with a way out: a spelling suggestion, dropping the tag, or the tag list. */
  function noResults(eng, query, tag, retry) {
    var box = el("div", "search-empty");
    box.appendChild(el("p", "", query ? "No papers match \u201c" + query + "\u201d" + (tag ? " in this tag." : ".") : "No papers have this tag."));
    var hint = box.appendChild(el("p", "search-hint"));
    var fixed = query ? eng.suggest(query) : null;
    if (fixed) {
      hint.appendChild(document.createTextNode("Did you mean "));
      var link = hint.appendChild(el("a", "", fixed));
      link.href = searchUrl(fixed, tag);
      link.addEventListener("click", function (e) { if (retry) { e.preventDefault(); retry(fixed, tag); } });
      hint.appendChild(document.createTextNode("? "));
    } else if (tag) {
      var all = hint.appendChild(el("a", "", "Search all tags instead"));
      all.href = searchUrl(query, "");
      all.addEventListener("click", function (e) { if (retry) { e.preventDefault(); retry(query, ""); } });
      hint.appendChild(document.createTextNode(". "));
    } else {
      hint.appendChild(document.createTextNode("Try fewer or shorter words, or browse "));
      var tags = hint.appendChild(el("a", "", "all tags"));
      tags.href = root + "tags/index.html";
      hint.appendChild(document.createTextNode("."));
    }
    return box;
  }

  /* --- keyboard ------------------------------------------------------------------------ */

  function links(container) {
    return Array.prototype.slice.call(container.querySelectorAll("a.search-hit"));
  }

  /* Arrow keys move between the input and the result links; Escape clears and returns. */
  function arrowKeys(input, container, clear) {
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        var first = links(container)[0];
        if (first) { e.preventDefault(); first.focus(); }
      } else if (e.key === "Escape") {
        e.preventDefault();
        clear();
      }
    });
    container.addEventListener("keydown", function (e) {
      var all = links(container), at = all.indexOf(document.activeElement);
      if (at < 0) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        var next = at + (e.key === "ArrowDown" ? 1 : -1);
        if (next < 0) input.focus(); else if (next < all.length) all[next].focus();
      } else if (e.key === "Escape") {
        e.preventDefault();
        input.focus();
        clear();
      }
    });
  }

  function debounce(fn) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, DEBOUNCE_MS);
    };
  }

  function showError(container, err) {
    container.textContent = "";
    container.appendChild(el("p", "search-error", "Search is unavailable: " + err.message));
  }

  /* --- the header box ------------------------------------------------------------------ */

  function headerSearch(input, popup) {
    var generation = 0;
    var hide = function () { popup.hidden = true; };
    var clear = function () { input.value = ""; generation++; popup.textContent = ""; hide(); };
    var run = function () {
      var query = input.value.trim(), mine = ++generation;
      if (!query) { clear(); return; }
      popup.setAttribute("aria-busy", "true");
      engine().then(function (eng) {
        return eng.search(query, "").then(function (result) {
          return eng.docs(result.ids.slice(0, POPUP_RESULTS)).then(function (docs) {
            if (mine !== generation) return;
            popup.textContent = "";
            var status = popup.appendChild(el("p", "search-status"));
            if (!docs.length) {
              status.remove();
              popup.appendChild(noResults(eng, query, "", null));
            } else {
              status.textContent = result.ids.length > docs.length
                ? "Top " + docs.length + " of " + plural(result.ids.length, "result")
                : plural(docs.length, "result");
              var list = popup.appendChild(el("ul", "search-list"));
              docs.forEach(function (doc) { list.appendChild(resultItem(eng, doc, result.matched)); });
              var more = popup.appendChild(el("a", "search-more", "All results on the search page"));
              more.href = searchUrl(query, "");
            }
            popup.hidden = false;
          });
        });
      }).catch(function (err) {
        if (mine === generation) { showError(popup, err); popup.hidden = false; }
      }).then(function () {
        if (mine === generation) popup.setAttribute("aria-busy", "false");
      });
    };
    input.addEventListener("focus", function () {
      engine().catch(function () {}); // start loading; a failure shows when the reader types
      if (input.value.trim() && popup.firstChild) popup.hidden = false;
    });
    input.addEventListener("input", debounce(run));
    arrowKeys(input, popup, clear);
    document.addEventListener("click", function (e) {
      if (!input.form.contains(e.target)) hide();
    });
    input.form.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !input.form.contains(e.relatedTarget)) hide();
    });
  }

  /* --- search.html --------------------------------------------------------------------- */

  function pageSearch(input, select, status, results) {
    var generation = 0, shown = 0, current = null;
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    if (select) select.value = params.get("tag") || "";
    if (select && select.value !== (params.get("tag") || "")) select.value = "";

    var syncUrl = function (query, tag) {
      var url = searchUrl(query, tag).slice(root.length);
      if (window.location.href.split("/").pop() === url) return;
      try {
        window.history.replaceState(null, "", url);
      } catch (err) {
        // Some browsers refuse to change a file:// URL; the search still works.
      }
    };
    var showMore = function () {
      var eng = current.eng, ids = current.result.ids.slice(shown, shown + PAGE_RESULTS);
      var mine = generation;
      return eng.docs(ids).then(function (docs) {
        if (mine !== generation) return;
        var list = results.querySelector("ol") || results.appendChild(el("ol", "search-list"));
        docs.forEach(function (doc) { list.appendChild(resultItem(eng, doc, current.result.matched)); });
        shown += docs.length;
        var button = results.querySelector("button.search-more");
        if (button) button.remove();
        if (shown < current.result.ids.length) {
          button = results.appendChild(el("button", "search-more", "Show more results"));
          button.type = "button";
          button.addEventListener("click", function () {
            var next = shown;
            showMore().then(function () { var l = links(results)[next]; if (l) l.focus(); });
          });
        }
      });
    };
    var run = function () {
      var query = input.value.trim(), tag = select ? select.value : "", mine = ++generation;
      syncUrl(query, tag);
      if (!query && !tag) {
        results.textContent = "";
        results.setAttribute("aria-busy", "false");
        status.textContent = "Type to search titles, abstracts and tags.";
        return;
      }
      status.textContent = "Searching\u2026";
      results.setAttribute("aria-busy", "true");
      engine().then(function (eng) {
        return eng.search(query, tag).then(function (result) {
          if (mine !== generation) return;
          current = { eng: eng, result: result };
          shown = 0;
          results.textContent = "";
          if (!result.ids.length) {
            status.textContent = "No results.";
            results.appendChild(noResults(eng, query, tag, retry));
            return;
          }
          var n = result.ids.length, all = result.groups.filter(function (g) { return g.required; }).length;
          status.textContent = plural(n, "result") +
            (all > 1 && result.complete < n ? "; " + result.complete + " contain every word" : "") + ".";
          return showMore();
        });
      }).catch(function (err) {
        if (mine === generation) { status.textContent = ""; showError(results, err); }
      }).then(function () {
        if (mine === generation) results.setAttribute("aria-busy", "false");
      });
    };
    var retry = function (query, tag) {
      input.value = query;
      if (select) select.value = tag;
      run();
      input.focus();
    };
    input.form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    input.addEventListener("input", debounce(run));
    if (select) select.addEventListener("change", run);
    arrowKeys(input, results, function () { input.value = ""; run(); });
    run();
  }

  /* --- start --------------------------------------------------------------------------- */

  function start() {
    addStylesheet();
    var header = document.getElementById("site-search-input");
    var popup = document.getElementById("search-popup");
    var pageInput = document.getElementById("search-page-input");
    var results = document.getElementById("search-results");
    if (header && popup) headerSearch(header, popup);
    if (pageInput && results) {
      pageSearch(pageInput, document.getElementById("search-tag"), document.getElementById("search-status"), results);
    }
    var box = pageInput || header;
    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || !box) return;
      var t = e.target;
      if (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
      e.preventDefault();
      box.focus();
      box.select();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
