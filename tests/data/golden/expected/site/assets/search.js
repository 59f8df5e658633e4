/* Site search UI: the header box's results popup on every page, and search.html.
 *
 * Nothing loads until the reader first focuses a search box (search.html loads at once):
 * then lunr.min.js (for its stemmer), search-engine.js and the index entry point arrive as
 * <script> tags — which work from file:// where fetch() does not — and the engine loads
 * word shards, term shards and document chunks as queries need them. Every keystroke searches at once;
 * a newer keystroke supersedes an older search still waiting for its files (no fixed
 * pause). The search page keeps its query and filters in the URL
 * (?q=&tag=&tag=&author=&from=&to=&sort=). Keyboard: `/` focuses search (a reader may turn that
 * off on search.html, WCAG 2.1.4: a key a screen reader or speech input sends as text must
 * not jump away), arrow keys move through results, Enter opens one, Escape clears.
 */
(function () {
  "use strict";

  var POPUP_RESULTS = 8;
  var PAGE_RESULTS = 10;
  var SNIPPET_WORDS = 32;
  var root = document.body.getAttribute("data-root") || "";
  var assets = root + "assets/";
  // The theme's files under the build's version of them (`data-assets`), as the pages ask for
  // theirs: a cached engine of the last deploy met the new index.
  var version = document.body.getAttribute("data-assets");
  var VERSION = version ? "?v=" + encodeURIComponent(version) : "";
  var enginePromise = null;
  // This site's key in localStorage (reading.js's scheme: two sites on one origin apart).
  var SITE_KEY = "site_builder:" + new URL(root || "./", location.href).pathname + ":";
  var SLASH_OFF = SITE_KEY + "slash-off";

  /* `rtl` for a text most of whose letters are written right to left, else `auto` (an
   * Arabic title opening with `LoRA-Pro:` read left to right); core/text.py `text_dir`. */
  function textDir(text) { // (letters only: not marks, digits or punctuation of those scripts)
    var letters = text.match(/\p{L}/gu) || [];
    var rtl = letters.filter(function (c) { return /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/.test(c); });
    return 2 * rtl.length > letters.length ? "rtl" : "auto";
  }
  window.SiteText = { textDir: textDir }; // for reading.js's saved list

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

  // After a deploy a browser may hold the previous entry point for a while (GitHub Pages
  // lets it be cached ten minutes), and a reload does not ask for it again. Data files are
  // asked for under their version, so a cached one is always the version asked for; one
  // of another version says the entry point is stale, and it is then loaded afresh once.
  var freshIndex = false, refreshed = false;

  function loadData(name, version) {
    var file = name === "index" ? "search-index.js" : "search/" + name + ".js";
    var query = name === "index" ? (freshIndex ? "?t=" + Date.now() : "") : version ? "?v=" + version : "";
    return loadScript(assets + file + query).then(function () {
      var store = window.SEARCH_DATA || {}, payload = store[name];
      delete store[name];
      return payload;
    });
  }

  function engine() {
    if (!enginePromise) {
      enginePromise = Promise.all([
        loadScript(assets + "lunr.min.js" + VERSION),
        loadScript(assets + "search-engine.js" + VERSION),
        loadData("index")
      ]).then(function (loaded) {
        var lunr = window.lunr;
        var stemmer = function (word) { return lunr.stemmer(new lunr.Token(word)).toString(); };
        return new window.SiteSearch.Engine(loaded[2], loadData, stemmer);
      });
      enginePromise.catch(function () { enginePromise = null; }); // let a later focus retry
    }
    return enginePromise;
  }

  /* For reading.js on saved.html: the saved papers' titles, days, tags and abstracts, from
   * the search files the site already has (the entry point and the chunks holding them; no
   * lunr.js, no word list). An engine of its own, so search keeps its own loading. A
   * Promise of one doc or null (no such paper on the site) per {slug}. */
  var readerPromise = null;

  function readerEngine() {
    if (!readerPromise) {
      readerPromise = Promise.all([loadScript(assets + "search-engine.js" + VERSION), loadData("index")]).then(function (loaded) {
        return new window.SiteSearch.Engine(loaded[1], loadData, null);
      });
      readerPromise.catch(function () { readerPromise = null; });
    }
    return readerPromise;
  }

  function papers(wanted, again) {
    return readerEngine().then(function (eng) { return eng.papers(wanted); }).catch(function (err) {
      if (again || !err || !err.stale) throw err; // a stale entry point: loaded afresh, once
      freshIndex = true;
      readerPromise = null;
      return papers(wanted, true);
    });
  }

  window.SitePapers = { papers: function (wanted) { return papers(wanted, false); } };

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

  /* One result: a link with its title, snippet and tags; on search.html (`withSave`) a Save
   * button beside it, as lists have (reading.js makes it work: absent where that cannot). */
  function resultItem(eng, doc, matched, withSave) {
    var item = el("li", "search-result");
    // The link is the title (its name, as in the lists of papers), stretched over the whole
    // result by search.css; the snippet and tags follow it: wrapped in the link, each
    // result read as 40-60 words to a screen reader moving through them.
    var link = item.appendChild(el("a", "search-hit"));
    link.href = root + doc.path;
    // Each text its own direction: an Arabic or Hebrew title read left to right, its full
    // stop beside its first word.
    var title = link.appendChild(el("span", "search-title")), snippet = item.appendChild(el("span", "search-snippet"));
    title.dir = textDir(doc.title);
    snippet.dir = "auto";
    marked(title, eng.marks(doc.title, matched));
    marked(snippet, eng.snippet(doc.text, matched, SNIPPET_WORDS));
    if (doc.listed || doc.tags.length) { // when, and the tags: a page of "newest" said neither
      var tags = item.appendChild(el("span", "search-tags"));
      if (doc.listed) tags.appendChild(el("time", "search-date", showDate(doc.listed))).dateTime = doc.listed;
      doc.tags.forEach(function (t) { tags.appendChild(el("span", "search-tag", t.title)); });
    }
    var slug = window.SiteSearch.slugOf(doc.path);
    if (withSave && slug) {
      var button = item.appendChild(el("button", "save-button", "Save"));
      button.type = "button";
      button.hidden = true; // until reading.js wires it
      button.setAttribute("data-save", slug);
      if (doc.listed) button.setAttribute("data-day", doc.listed); // kept with a saved paper
      // reading.js, if it has not run yet (it came after the first results, on a slow
      // link), wires and shows the page's Save buttons when it starts, these among them.
      if (window.SiteReading) window.SiteReading.saveButton(button);
    }
    return item;
  }

  /* A search as the page's URL holds it: {q, tags, author, from, to, sort}. */
  function stateFrom(search) {
    var params = new URLSearchParams(search);
    return { q: params.get("q") || "", tags: params.getAll("tag").filter(Boolean), author: (params.get("author") || "").trim(),
             from: (params.get("from") || "").trim(), to: (params.get("to") || "").trim(), sort: params.get("sort") || "" };
  }

  function searchUrl(state) {
    var params = [];
    if (state.q) params.push("q=" + encodeURIComponent(state.q));
    (state.tags || []).forEach(function (t) { params.push("tag=" + encodeURIComponent(t)); });
    if (state.author) params.push("author=" + encodeURIComponent(state.author));
    ["from", "to", "sort"].forEach(function (k) {
      if (state[k] && !(k === "sort" && state[k] === "relevance")) params.push(k + "=" + encodeURIComponent(state[k]));
    });
    return root + "search.html" + (params.length ? "?" + params.join("&") : "");
  }

  function filtered(state) {
    return state.tags.length > 0 || !!state.from || !!state.to || !!state.author;
  }

  /* How many filters and sorts other than the default a search has (its panel's summary; an
   * author is shown above the panel, with its own Clear button). */
  function filtersOn(state) {
    return state.tags.length + !!state.from + !!state.to + !!(state.sort && state.sort !== "relevance");
  }

  /* A screen wide enough for the filters panel above the results. */
  function wide() {
    return !window.matchMedia || window.matchMedia("(min-width: 40em)").matches;
  }

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  /* `2025-03-12` as the pages show dates: Mar 12, 2025. */
  function showDate(iso) {
    return MONTHS[Number(iso.slice(5, 7)) - 1] + " " + Number(iso.slice(8, 10)) + ", " + iso.slice(0, 4);
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  /* What the status line says of filters left out (`after:2026-13`: not a date). */
  function ignoredNote(plan) {
    var ignored = plan && plan.ignored || [], tags = plan && plan.unknownNotTags || [];
    var note = ignored.length ? " Left out " + ignored.join(", ") + ": not a date such as 2025, 2025-03 or 2025-03-14." : "";
    return note + (tags.length ? " No tag named " + tags.join(", ") + ": nothing left out for it (see all tags)." : "");
  }

  /* Dates that leave no day between them (`after:2026 before:2025`, or a link's from/to
   * the wrong way round) say so, rather than a bare "No results." */
  function noDaysNote(eng, plan) {
    var span = plan ? eng.dateSpan(plan) : [0, 1];
    return span[0] >= span[1] ? " No day is within these dates: the start given comes after the end." : "";
  }

  /* "Did you mean …?" into `hint` when the engine mends a word of the query; false if not. */
  function didYouMean(hint, eng, state, retry) {
    var fixed = state.q ? eng.suggest(state.q) : null;
    if (!fixed) return false;
    var better = Object.assign({}, state, { q: fixed });
    hint.appendChild(document.createTextNode("Did you mean "));
    var link = hint.appendChild(el("a", "", fixed));
    link.href = searchUrl(better);
    link.addEventListener("click", function (e) { if (retry) { e.preventDefault(); retry(better); } });
    hint.appendChild(document.createTextNode("? "));
    return true;
  }

  /* A query too short to complete: fewer than three letters, none of them CJK (one such
   * letter is completed, and two are a word: the hint told a Chinese reader to type three
   * letters of `图`). */
  function shortWord(query) {
    var letters = Array.from(query);
    return letters.length < window.SiteSearch.PREFIX_MIN && !letters.some(window.SiteSearch.isCjkLetter);
  }

  /* Why a query with no filters found nothing, when the query itself says so: too short to
   * complete, only words too common to index, only left-out words (each was told "Try fewer
   * or shorter words", which cannot help). `plan`: the search's (`result.plan`). */
  function emptyBecause(query, plan) {
    if (query && shortWord(query.trim())) {
      return "Keep typing: words are completed from three letters.";
    }
    var common = function (c) { return c.words.every(function (w) { return w.stop; }); }; // `the`, `and`
    if (!plan) return "";
    if (!plan.clauses.length) { // filters alone (`tag:x`, `after:2030`) find nothing for other reasons
      return plan.excluded.length
        ? "Left-out words alone leave nothing to look for: add a word to search for (-tag: alone lists every paper but a tag\u2019s)."
        : "";
    }
    return plan.clauses.every(common) ? "These words are too common to search for: add one that says what the papers are about." : "";
  }

  /* "No results" with a way out: a spelling suggestion, dropping the filters, or the tag list. */
  function noResults(eng, state, retry, plan) {
    var box = el("div", "search-empty"), query = state.q, narrowed = filtered(state);
    var none = query ? "No papers match \u201c" + query + "\u201d" + (narrowed ? " with these filters." : ".") : "No papers match these filters.";
    box.appendChild(el("p", "", state.author && !query && !filtersOn(state) ? "No papers by " + state.author + " on this site." : none));
    var hint = box.appendChild(el("p", "search-hint"));
    if (didYouMean(hint, eng, state, retry)) {
      // the mended query is the way out
    } else if (narrowed) {
      var wider = { q: query, tags: [], author: "", from: "", to: "", sort: state.sort };
      var all = hint.appendChild(el("a", "", "Search without the filters instead"));
      all.href = searchUrl(wider);
      all.addEventListener("click", function (e) { if (retry) { e.preventDefault(); retry(wider); } });
      hint.appendChild(document.createTextNode(". "));
    } else if (emptyBecause(query, plan)) {
      hint.appendChild(document.createTextNode(emptyBecause(query, plan)));
    } else {
      hint.appendChild(document.createTextNode("Try fewer or shorter words, or browse "));
      var tags = hint.appendChild(el("a", "", "all tags"));
      tags.href = root + "tags/index.html";
      hint.appendChild(document.createTextNode("."));
    }
    return box;
  }

  /* --- keyboard ------------------------------------------------------------------------ */

  /* What the arrow keys step through: the results, and the links and buttons about them
   * ("Did you mean …?", "all tags", "Show more"), in page order. */
  function links(container) {
    var all = container.querySelectorAll("a[href], button.search-more:not([disabled])"); // not Save
    return Array.prototype.filter.call(all, function (e) { return !e.closest("[hidden]"); });
  }

  /* `handler` for each change to the box's text, but not while an input method is still
   * composing kana or Hangul (a Japanese reader's `すい` on the way to 推論 searched for it,
   * the address following): for the text it commits. Latin text composed (an Android
   * keyboard composes every word) is searched as it is typed, as before. */
  var KANA_OR_HANGUL = /[\u3040-\u30ff\u3130-\u318f\u1100-\u11ff\uac00-\ud7af]/;
  function onTyped(input, handler) {
    input.addEventListener("input", function (e) {
      if (!(e.isComposing && KANA_OR_HANGUL.test(e.data || ""))) handler();
    });
    input.addEventListener("compositionend", function () { handler(); });
  }

  /* Arrow keys move between the input and the result links; Escape returns to the input
   * and calls `escape` (the header box closes its popup first, and clears only then). */
  function arrowKeys(input, container, escape) {
    input.addEventListener("keydown", function (e) {
      if (e.isComposing) return; // the input method's keys: Escape cancels its composition
      if (e.key === "ArrowDown" && !container.hidden) {
        var first = links(container)[0];
        if (first) { e.preventDefault(); first.focus(); }
      } else if (e.key === "Escape") {
        e.preventDefault();
        escape();
      }
    });
    container.addEventListener("keydown", function (e) {
      var all = links(container), at = all.indexOf(document.activeElement);
      // Only from a result, or from the popup itself (a click on its text focuses it).
      if (at < 0 && document.activeElement !== container) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        var next = at + (e.key === "ArrowDown" ? 1 : -1);
        if (next < 0) input.focus(); else if (next < all.length) all[next].focus();
      } else if (e.key === "Escape") {
        e.preventDefault();
        input.focus();
        escape();
      }
    });
  }

  /* Whether a failed search may be run again on a fresh entry point: once a page. */
  function retryFresh(err) {
    if (!err || !err.stale || refreshed) return false;
    refreshed = freshIndex = true;
    enginePromise = null;
    return true;
  }

  function showError(container, err) {
    container.textContent = "";
    container.appendChild(el("p", "search-error", "Search is unavailable: " + err.message));
  }

  /* --- the header box ------------------------------------------------------------------ */

  function headerSearch(input, popup) {
    var generation = 0;
    // What the popup says is said aloud too: a status region that is always there (one
    // made with each answer is not announced), as the search page's status is.
    var spoken = input.form.appendChild(el("p", "visually-hidden"));
    spoken.setAttribute("role", "status");
    input.setAttribute("aria-controls", popup.id);
    popup.tabIndex = -1; // a click on its text keeps focus in the form, and the popup open
    var say = function () { // the status, or all of "no results" with its way out, or the error
      var shown = popup.hidden ? null : popup.querySelector(".search-status, .search-empty, .search-error");
      spoken.textContent = shown ? shown.textContent : "";
    };
    // Closed, the popup takes no answer still on its way (it reopened over the page after
    // Escape or a Tab away), and says nothing.
    var hide = function () {
      generation++;
      popup.hidden = true;
      popup.setAttribute("aria-busy", "false");
      say();
    };
    var clear = function () { input.value = ""; popup.textContent = ""; hide(); };
    var run = function () {
      var query = input.value.trim(), mine = ++generation;
      var stale = function () { return mine !== generation; };
      if (!query) { clear(); return; }
      popup.setAttribute("aria-busy", "true");
      engine().then(function (eng) {
        return eng.search(query, { isStale: stale }).then(function (result) {
          if (!result) return;
          return eng.docs(result.ids.slice(0, POPUP_RESULTS), result.span).then(function (docs) {
            if (mine !== generation) return;
            popup.textContent = "";
            var status = popup.appendChild(el("p", "search-status"));
            if (!docs.length && shortWord(query)) {
              status.textContent = "Keep typing: words are completed from three letters.";
            } else if (!docs.length) {
              status.remove();
              popup.appendChild(noResults(eng, stateFrom("?q=" + encodeURIComponent(query)), null, result.plan));
            } else {
              // Of the papers with every word, when some lack one: "Top 8 of 49,383 results"
              // counted every paper with any word of "reward model" (a reviewer, at 50,000).
              var all = result.words > 1 && result.complete < result.ids.length ? result.complete : 0;
              status.textContent = all >= docs.length
                ? "Top " + docs.length + " of " + plural(all, "paper") + " with every word"
                : result.ids.length > docs.length
                  ? "Top " + docs.length + " of " + plural(result.ids.length, "result")
                  : plural(docs.length, "result");
              if (result.words > 1 && result.complete === 0) {
                // A misspelt word (`halucinaton detection`) found nothing and the others
                // led: the mended query, as the search page offers it.
                var hint = el("p", "search-hint");
                var retry = function (better) { input.value = better.q; keep(); run(); input.focus(); };
                if (didYouMean(hint, eng, stateFrom("?q=" + encodeURIComponent(query)), retry)) popup.appendChild(hint);
              }
              var list = popup.appendChild(el("ul", "search-list"));
              docs.forEach(function (doc) { list.appendChild(resultItem(eng, doc, result.matched)); });
              var more = popup.appendChild(el("a", "search-more", "All results on the search page"));
              more.href = searchUrl({ q: query, tags: [] });
            }
            popup.hidden = false;
            say();
          });
        });
      }).catch(function (err) {
        if (mine === generation && retryFresh(err)) run();
        else if (mine === generation) { showError(popup, err); popup.hidden = false; say(); }
      }).then(function () {
        if (mine === generation) popup.setAttribute("aria-busy", "false");
      });
    };
    var reopen = function () { if (popup.hidden && input.value.trim()) run(); };
    // Back from a result: the box held the query no more (it does not let the browser fill
    // it in, whose own list would cover the popup). It is kept for this tab, and put back.
    var kept = SITE_KEY + "header-query:" + location.pathname; // this page's: another never had it
    var keep = function () {
      try { window.sessionStorage.setItem(kept, input.value); } catch (e) { /* storage blocked */ }
    };
    input.addEventListener("input", keep);
    var back = function () {
      var nav = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
      if (input.value || !nav || nav.type !== "back_forward") return;
      try { input.value = window.sessionStorage.getItem(kept) || ""; } catch (e) { /* storage blocked */ }
    };
    back();
    window.addEventListener("pageshow", function (e) { if (e.persisted) back(); });
    input.addEventListener("focus", function () {
      engine().catch(function () {}); // start loading; a failure shows when the reader types
      reopen(); // the search again: one closed on its way is not shown half done
    });
    input.addEventListener("click", reopen);
    input.addEventListener("keydown", function (e) { if (e.key === "ArrowDown") reopen(); });
    onTyped(input, run);
    arrowKeys(input, popup, function () { // close (also a search on its way), then clear
      if (popup.hidden && popup.getAttribute("aria-busy") !== "true") clear(); else hide();
    });
    document.addEventListener("click", function (e) {
      if (!input.form.contains(e.target)) hide();
    });
    input.form.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !input.form.contains(e.relatedTarget)) hide();
    });
  }

  /* --- search.html --------------------------------------------------------------------- */

  /* from / to as the month fields take them (`2025-03`), and any other value as the query's
   * limit of the same meaning: from a day or year, `after:` it; to a day or year, `before:`
   * the next (to 2025-03-31 keeps Mar 31). A value that is no date goes in as written, for
   * the engine to say it left it out. */
  function monthOrLimit(state) {
    // A month the calendar has: `from=2025-13` was taken, then dropped by the month field
    // without a word (a fuzzer's find); as a query limit the engine names it left out.
    var month = /^\d{4}-(0[1-9]|1[0-2])$/, query = [], from = state.from || "", to = state.to || "";
    if (from && !month.test(from)) { query.push("after:" + from); from = ""; }
    if (to && !month.test(to)) { query.push("before:" + periodAfter(to)); to = ""; }
    return { from: from, to: to, query: query };
  }

  /* The period after a year or a day (`2025` → `2026`, `2025-03-31` → `2025-04-01`); any
   * other text as it is. */
  function periodAfter(value) {
    if (/^\d{4}$/.test(value)) return String(Number(value) + 1);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    var day = new Date(value + "T00:00:00Z");
    if (isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) return value;
    return new Date(day.getTime() + 86400000).toISOString().slice(0, 10);
  }

  /* The author filter (`?author=NAME`, an author's name on a paper page links it): a hidden
   * field of the form, and above the filters panel a line naming the author, with a button
   * that clears it (`clear`, which searches again). */
  function authorFilter(form, clear) {
    var field = form.appendChild(el("input"));
    field.type = "hidden";
    field.name = "author";
    var line = form.insertBefore(el("p", "search-author"), form.querySelector("details.search-filters"));
    line.hidden = true;
    line.appendChild(document.createTextNode("Author: "));
    var name = line.appendChild(el("strong"));
    line.appendChild(document.createTextNode(" "));
    var button = line.appendChild(el("button", "search-author-clear", "Clear author"));
    button.type = "button";
    button.addEventListener("click", function () { set(""); clear(); });
    var set = function (author) {
      field.value = author;
      name.textContent = author;
      line.hidden = !author;
    };
    return { field: field, set: set };
  }

  /* The page's form: query, tag checkboxes (all required), author, from / to months, sort. */
  function pageForm(input, clearAuthor) {
    var form = input.form, author = authorFilter(form, clearAuthor);
    var value = function (id) { var node = document.getElementById(id); return node ? node.value : ""; };
    return {
      read: function () {
        var tags = Array.prototype.slice.call(form.querySelectorAll('input[name="tag"]:checked'))
          .map(function (box) { return box.value; });
        return { q: input.value.trim(), tags: tags, author: author.field.value, from: value("search-from"), to: value("search-to"),
                 sort: value("search-sort") || "relevance" };
      },
      write: function (state) {
        author.set(state.author || "");
        var boxes = form.querySelectorAll('input[name="tag"]');
        // Each box's tag by its name now and its earlier names (a link from before a rename).
        var names = Array.prototype.map.call(boxes, function (box) {
          return [box.value].concat((box.getAttribute("data-aliases") || "").split(" ").filter(Boolean));
        });
        var known = [].concat.apply([], names);
        // A shared link's tag the site does not have stays in the query (`tag:nosuch`), which
        // then finds nothing and says why, instead of being dropped for every result.
        var unknown = state.tags.filter(function (t) { return known.indexOf(t) < 0; });
        // A day or a year a link gives (`from=2025-03-01`) does not fit a month field, which
        // dropped it: it goes into the query as the same limit (`after:`, `before:`).
        var limits = monthOrLimit(state);
        input.value = [state.q].concat(unknown.map(function (t) { return "tag:" + t; }), limits.query)
          .filter(Boolean).join(" ");
        state = { q: state.q, tags: state.tags, author: state.author, from: limits.from, to: limits.to, sort: state.sort };
        Array.prototype.forEach.call(boxes, function (box, i) {
          box.checked = names[i].some(function (name) { return state.tags.indexOf(name) >= 0; });
        });
        [["search-from", state.from], ["search-to", state.to], ["search-sort", state.sort || "relevance"]]
          .forEach(function (pair) { var node = document.getElementById(pair[0]); if (node) node.value = pair[1]; });
        var sort = document.getElementById("search-sort");
        if (sort && !sort.value) sort.value = "relevance";
      }
    };
  }

  /* "N results", and what they are out of: a phrase search has read its best candidates
   * only ("30 results" read as all of them, at 10,000 papers 30 of 161). */
  function statusText(result) {
    var n = result.ids.length;
    var count = result.phraseUnchecked
      ? "At least " + plural(n, "result") + " (" + result.phraseChecked + " of the " +
        (result.phraseChecked + result.phraseUnchecked) + " papers with these words checked for the phrase so far; Show more checks more)"
      : plural(n, "result");
    return count + (result.words > 1 && result.complete < n ? "; " + result.complete + (result.complete === 1 ? " contains" : " contain") + " every word" : "") +
      "." + ignoredNote(result.plan);
  }

  /* The status line of an author's papers: "Papers by Jane Doe: 4" (with words or other
   * filters, what they found among them). */
  function papersBy(author) {
    return "Papers by " + author;
  }

  function authorStatus(state, result) {
    if (!state.author) return statusText(result);
    var alone = !state.q && !filtersOn(state);
    return papersBy(state.author) + ": " + (alone ? result.ids.length + "." + ignoredNote(result.plan) : statusText(result));
  }

  function pageSearch(input, status, results) {
    var generation = 0, shown = 0, current = null;
    // Clearing the author is a changed filter: a history entry, and focus back in the box.
    var form = pageForm(input, function () { run("push"); input.focus(); });

    /* A changed filter or a submitted query adds a history entry ("push"), and so does the
     * first keystroke after one ("type"; later keystrokes replace it, as do a month field's
     * later digits, "amend"): Back returns to the previous search. A search loaded or returned to ("restore") only writes its address
     * in the page's own form (a form's `+` for a space as `%20`): adding an entry there
     * made Back land on the same search again, and again. */
    var pushNext = true; // the search as loaded, or as a filter left it, keeps its entry
    var syncUrl = function (state, how) {
      var url = searchUrl(state).slice(root.length);
      if (how !== "type") pushNext = true; // a submitted search keeps its entry, even unchanged
      if (here() === url) return;
      try {
        var pushing = how === "push" || (how === "type" && pushNext);
        if (pushing) remember(); // where the reader was in the search they leave
        if (pushing) window.history.pushState(null, "", url);
        else window.history.replaceState(null, "", url);
      } catch (err) {
        // Some browsers refuse to change a file:// URL; the search still works.
      }
      if (how === "type") pushNext = false;
    };
    /* How many results are shown and where the page is scrolled, kept in the history entry
     * (not the address: a shared link starts at the top): Back from the 108th result, with
     * no back-forward cache (from disk, or evicted), showed the first 10 again. */
    var remember = function () {
      try {
        window.history.replaceState({ shown: shown, y: window.scrollY }, "");
      } catch (err) {
        // A browser that refuses (file:// in some): Back shows the first results, as before.
      }
    };
    var kept = function () {
      var state = window.history.state;
      return state && typeof state.shown === "number" && typeof state.y === "number" ? state : null;
    };
    // The page puts the reader back itself, once the results it kept are drawn: the browser's
    // own try came before them, at a place in the first ten.
    if ("scrollRestoration" in window.history) window.history.scrollRestoration = "manual";
    window.addEventListener("pagehide", remember);
    var showMore = function (count) {
      var eng = current.eng, result = current.result, mine = generation, want = count || PAGE_RESULTS;
      // A phrase search read only its best candidates: read on for the next page.
      var ready = shown + want > result.ids.length ? eng.morePhrases(result, shown + want + PAGE_RESULTS) : null;
      return Promise.resolve(ready).then(function () {
        if (mine !== generation) return [];
        if (ready) status.textContent = authorStatus(current.state, result);
        return eng.docs(result.ids.slice(shown, shown + want), result.span);
      }).then(function (docs) {
        if (mine !== generation) return;
        var list = results.querySelector("ol") || results.appendChild(el("ol", "search-list"));
        docs.forEach(function (doc) { list.appendChild(resultItem(eng, doc, current.result.matched, true)); });
        shown += docs.length;
        remember();
        var button = results.querySelector("button.search-more");
        if (button) button.remove();
        if (shown < current.result.ids.length || current.result.phraseUnchecked) {
          button = results.appendChild(el("button", "search-more", "Show more results"));
          button.type = "button";
          button.addEventListener("click", function () {
            // Once: a double click appended the next page twice and skipped the one after.
            if (button.disabled) return;
            button.disabled = true;
            var next = shown;
            // The first new result: counted among results only (a "Did you mean" link above
            // them put focus one result early).
            showMore().then(function () {
              var l = results.querySelectorAll("a.search-hit")[next];
              if (l) l.focus();
            }, function (err) {
              // Deployed since the results came: the search runs again on the new files.
              if (retryFresh(err)) run("restore");
              else showError(results, err);
            });
          });
        }
      });
    };
    var pageTitle = document.title;
    var run = function (how, back) {
      var state = form.read(), mine = ++generation;
      // The query in the title: history and bookmarks named every search "Search" (a reviewer).
      document.title = (state.q ? "\u201c" + state.q + "\u201d \u00b7 " : "") +
        (state.author ? papersBy(state.author) + " \u00b7 " : "") + pageTitle;
      var on = input.form.querySelector(".search-filters-on"), count = filtersOn(state);
      if (on) on.textContent = count ? " (" + count + " on)" : "";
      var stale = function () { return mine !== generation; };
      syncUrl(state, how);
      onScreen = here();
      if (!state.q && !filtered(state)) {
        results.textContent = "";
        results.setAttribute("aria-busy", "false");
        status.textContent = "Type to search titles, abstracts and tags.";
        return;
      }
      status.textContent = "Searching\u2026";
      results.setAttribute("aria-busy", "true");
      engine().then(function (eng) {
        var options = { tags: state.tags, author: state.author, from: state.from, to: state.to, sort: state.sort, isStale: stale };
        return eng.search(state.q, options).then(function (result) {
          if (!result || stale()) return;
          current = { eng: eng, result: result, state: state };
          shown = 0;
          results.textContent = "";
          if (!result.ids.length) {
            status.textContent = (state.author ? papersBy(state.author) + ": none." : "No results.") +
              ignoredNote(result.plan) + noDaysNote(eng, result.plan);
            results.appendChild(noResults(eng, state, retry, result.plan));
            return;
          }
          status.textContent = authorStatus(state, result);
          if (result.words > 1 && result.complete === 0) {
            // No paper holds every word: a misspelt one (`halucinaton detection`) found
            // nothing and the others led; offer the mended query above what they found.
            var hint = el("p", "search-hint");
            if (didYouMean(hint, eng, state, retry)) results.appendChild(hint);
          }
          // Returned to (`back`: the history entry's count and scroll): as it was left.
          return showMore(back ? Math.max(back.shown, PAGE_RESULTS) : PAGE_RESULTS).then(function () {
            if (back && mine === generation) window.scrollTo(0, back.y);
          });
        });
      }).catch(function (err) {
        if (mine === generation && retryFresh(err)) run(how);
        else if (mine === generation) { status.textContent = ""; showError(results, err); }
      }).then(function () {
        if (mine === generation) results.setAttribute("aria-busy", "false");
      });
    };
    var retry = function (state) {
      form.write(state);
      run("push");
      input.focus();
    };
    // A search whose filters narrow it shows them (a shared link's reader sees why).
    var here = function () { return window.location.href.split("#")[0].split("/").pop(); };
    var onScreen = null; // the address of the search on screen: a link to a #fragment keeps it
    var restore = function () {
      if (here() === onScreen) return;
      changing = null;
      var state = stateFrom(window.location.search), panel = input.form.querySelector("details.search-filters");
      form.write(state);
      // Open on a wide screen; on a phone the open panel pushed the first result below the
      // screen (a reviewer), and its summary says how many filters are on instead.
      if (panel && filtersOn(state) && wide()) panel.open = true;
      run("restore", kept());
    };
    input.form.addEventListener("submit", function (e) { e.preventDefault(); changing = null; run("push"); });
    onTyped(input, function () { run("type"); });
    // A month field says "change" at every digit typed: one entry for all of them ("amend"
    // rewrites the entry its first digit made, until something else is done).
    var changing = null;
    input.form.addEventListener("change", function (e) {
      if (e.target === input) return;
      run(e.target.type === "month" && e.target === changing ? "amend" : "push");
      changing = e.target;
    });
    input.form.addEventListener("input", function (e) { if (e.target === input) changing = null; });
    window.addEventListener("popstate", restore);
    // A double click's second click does nothing among the results. On "Show more" it landed
    // on the first new result, which had taken the button's place, and opened that paper; on
    // a link, the first click has already opened it.
    results.addEventListener("click", function (e) {
      if (e.detail > 1) { e.preventDefault(); e.stopPropagation(); }
    }, true);
    arrowKeys(input, results, function () { input.value = ""; run("type"); });
    restore();
  }

  /* --- start --------------------------------------------------------------------------- */

  /* Whether the reader turned the `/` key off; storage may throw (site data blocked). */
  function slashOff() {
    try { return window.localStorage.getItem(SLASH_OFF) === "true"; } catch (e) { return false; }
  }

  /* search.html's "the / key focuses search" checkbox: hidden without JavaScript. */
  function slashToggle(box) {
    if (!box) return;
    box.checked = !slashOff();
    box.addEventListener("change", function () {
      try {
        if (box.checked) window.localStorage.removeItem(SLASH_OFF);
        else window.localStorage.setItem(SLASH_OFF, "true");
      } catch (e) { /* storage off: the key stays on */ }
      slashHint();
    });
    box.closest("li").hidden = false;
  }

  /* The header box's "(press /)", said only while the key does it, and not on a touch
   * screen without a mouse (a phone has no / key to press, and the hint wrapped its box). */
  function slashHint() {
    var header = document.getElementById("site-search-input");
    var touchOnly = window.matchMedia && window.matchMedia("(pointer: coarse)").matches &&
      !window.matchMedia("(any-pointer: fine)").matches;
    if (header) header.placeholder = slashOff() || touchOnly ? "Search papers" : "Search papers (press /)";
  }

  function start() {
    addStylesheet();
    var header = document.getElementById("site-search-input");
    var popup = document.getElementById("search-popup");
    var pageInput = document.getElementById("search-page-input");
    var results = document.getElementById("search-results");
    if (header && popup) headerSearch(header, popup);
    if (pageInput && results) {
      pageSearch(pageInput, document.getElementById("search-status"), results);
    }
    var box = pageInput || header;
    slashToggle(document.getElementById("search-slash-key"));
    slashHint();
    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || !box || slashOff()) return;
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
