/* The reader's own layer, kept in this browser's localStorage: saved papers (with export
 * and import as JSON, and a list shared as a link, on saved.html), read marks, "new since
 * your last visit" marks, the copy-citation button; and two helps to find one's way: the
 * tag filter of day and week pages, and the 404 page's hint.
 *
 * No server and no account: it works from file:// and on GitHub Pages. Keys start with
 * "site_builder:" and the site root's path, so two sites on one origin (two project sites
 * on user.github.io) keep their lists apart. The controls are `hidden` in the HTML and
 * shown here, so without JavaScript they are absent rather than broken.
 */
(function () {
  "use strict";

  var root = document.body.getAttribute("data-root") || "";
  var prefix = "site_builder:" + new URL(root || "./", location.href).pathname + ":";
  var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var MAX_TITLE = 500;

  /* --- storage --------------------------------------------------------------------------- */

  /* localStorage itself may throw (site data blocked, a sandboxed frame): every use is
   * inside the try, so the page still reads well and copying a citation still works. */
  function load(name, fallback) {
    try {
      var raw = window.localStorage.getItem(prefix + name);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) {
      return fallback; // storage off (private mode, blocked) or a value we did not write
    }
  }

  /* False when the browser would not keep it (storage off or full): the page still reads
   * well, and a Save says it did not take, and why (`notKept`). */
  var trouble = ""; // why the last write was not kept: "full", or "off" (blocked, none)

  function keep(name, value) {
    try {
      window.localStorage.setItem(prefix + name, JSON.stringify(value));
      trouble = "";
      return true;
    } catch (e) {
      trouble = e && (e.name === "QuotaExceededError" || e.name === "NS_ERROR_DOM_QUOTA_REACHED") ? "full" : "off";
      return false;
    }
  }

  /* Why the last write was not kept, in a reader's words: "keeps no more" was said of
   * storage blocked too, where nothing had ever been kept. */
  function notKept() {
    return trouble === "off" ? "this browser keeps no data for this site (site data is blocked)"
      : "this browser keeps no more for this site (its storage is full)";
  }

  /* Whether this browser lets the site keep anything at all: site data blocked throws on
   * `localStorage` itself (Chrome), and saved.html said "No saved papers yet." */
  function storageOff() {
    try {
      return !window.localStorage;
    } catch (e) {
      return true;
    }
  }

  /* An offline copy moved, renamed or unzipped elsewhere opens under another path, so another
   * prefix: its lists stayed at the old one, which nothing can export from once the folder
   * is gone. From file://, a prefix used for the first time takes the lists of the copy of
   * the same site this browser used last: the same `data-site` (its address, title and
   * oldest paper), which each prefix records. */
  var LISTS = ["saved", "saved-unreadable", "read", "visit", "seen", "view"];

  function adoptMovedCopy() {
    if (location.protocol !== "file:") return;
    var name = document.body.getAttribute("data-site");
    if (!name) return;
    try {
      var storage = window.localStorage;
      if (storage.getItem(prefix + "site") !== null) return;
      storage.setItem(prefix + "site", name);
      if (LISTS.some(function (list) { return storage.getItem(prefix + list) !== null; })) return;
      var last = null, lastAt = -1;
      for (var i = 0; i < storage.length; i++) {
        var key = storage.key(i) || "";
        if (key.indexOf("site_builder:") !== 0 || !/:site$/.test(key) || key === prefix + "site") continue;
        if (storage.getItem(key) !== name) continue;
        var other = key.slice(0, -"site".length), visit = null;
        try { visit = JSON.parse(storage.getItem(other + "visit")); } catch (e) { visit = null; }
        var at = visit && typeof visit.at === "number" ? visit.at : 0;
        if (at > lastAt) { last = other; lastAt = at; }
      }
      if (last === null) return;
      LISTS.forEach(function (list) {
        var value = storage.getItem(last + list);
        if (value !== null) storage.setItem(prefix + list, value);
      });
    } catch (e) {
      /* storage off: nothing to take over */
    }
  }

  var DAY = /^\d{4}-\d{2}-\d{2}$/;

  /* A day the calendar has, as "YYYY-MM-DD", or "": an imported "2025-13-01" was shown as
   * "Saved undefined 1, 2025". */
  function dayOrNothing(value) {
    if (typeof value !== "string" || !DAY.test(value)) return "";
    var day = new Date(value + "T00:00:00Z");
    return !isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value ? value : "";
  }

  /* The reader's own calendar day, as "YYYY-MM-DD": toISOString() is UTC's, and a paper
   * saved at 18:00 on Dec 31 in Los Angeles said "Saved Jan 1". */
  function localDay(date) {
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  function savedList() {
    var list = load("saved", []);
    return Array.isArray(list) ? list.filter(validItem) : [];
  }

  function validItem(item) {
    return item && typeof item.slug === "string" && SLUG.test(item.slug) &&
      typeof item.title === "string" && item.title.length <= MAX_TITLE;
  }

  /* A saved list this page cannot read whole (damaged, or kept by another version of the
   * site) was emptied by the next Save, which wrote over it. Before any write it is set
   * aside as it was, under "saved-unreadable", which saved.html offers as a file; when it
   * cannot be set aside (storage full), nothing is written. */
  function unreadableSaved() {
    var raw;
    try {
      raw = window.localStorage.getItem(prefix + "saved");
    } catch (e) {
      return null; // storage off: nothing there to lose
    }
    if (raw === null) return null;
    try {
      var list = JSON.parse(raw);
      if (Array.isArray(list) && list.every(validItem)) return null;
    } catch (e) {
      /* not JSON at all */
    }
    return raw;
  }

  /* What is set aside, as texts; a value there this page did not write (damaged too) is one
   * of them, as it is, rather than dropped by the next set-aside. */
  function setAside() {
    var raw = null, aside;
    try {
      raw = window.localStorage.getItem(prefix + "saved-unreadable");
      aside = raw === null ? [] : JSON.parse(raw);
    } catch (e) {
      aside = null;
    }
    if (!Array.isArray(aside)) return raw === null ? [] : [raw];
    return aside.map(function (item) { return typeof item === "string" ? item : JSON.stringify(item); });
  }

  function setAsideUnreadable() {
    var raw = unreadableSaved(), aside = setAside();
    return raw === null || aside.indexOf(raw) !== -1 || keep("saved-unreadable", aside.concat([raw]));
  }

  function keepSaved(list) {
    return setAsideUnreadable() && keep("saved", list);
  }

  function savedSlugs() {
    return new Set(savedList().map(function (item) { return item.slug; }));
  }

  /* `listed`: the paper's newest listing day, when the page knows it (`data-day`): saved.html
   * finds the paper's details among that day's papers in the search files. */
  function setSaved(slug, title, on, listed) {
    return on ? saveAll([{ slug: slug, title: title, listed: listed }])
      : keepSaved(savedList().filter(function (item) { return item.slug !== slug; }));
  }

  /* Several papers saved at once, in one write (a shared list's "Save all": a write per
   * paper made another open tab redraw its list once per paper), the first on top. */
  function saveAll(papers) {
    var today = localDay(new Date()), adding = Object.create(null);
    papers.forEach(function (paper) { adding[paper.slug] = true; });
    var fresh = papers.map(function (paper) {
      var item = { slug: paper.slug, title: paper.title, saved: today };
      if (dayOrNothing(paper.listed)) item.listed = paper.listed;
      return item;
    });
    return keepSaved(fresh.concat(savedList().filter(function (item) { return !adding[item.slug]; })));
  }

  function readMarks() {
    // Keyed by slug in an object without a prototype: a paper may be slugged `constructor`.
    var marks = load("read", {}), own = Object.create(null);
    if (marks && typeof marks === "object" && !Array.isArray(marks)) {
      Object.keys(marks).forEach(function (slug) { own[slug] = marks[slug]; });
    }
    return own;
  }

  /* --- save buttons ---------------------------------------------------------------------- */

  function titleNear(button) {
    var holder = button.closest("li, article");
    var heading = holder && (holder.querySelector(".search-title") || holder.querySelector("h1, h3, a"));
    return heading ? heading.textContent.trim().slice(0, MAX_TITLE) : button.getAttribute("data-save");
  }

  /* The button says its state in its text: "Save", or "Saved" once saved (a tick before
   * "Save" read as an action still to take). Its name starts with what it shows and carries
   * the paper's title, so a list's buttons differ; a saved paper's says that pressing it
   * again unsaves it. No aria-pressed: a name that changes with the state already says it
   * ("Saved: …, toggle button, pressed" said it twice; the read toggle is the same). */
  function showSaved(button, saved) {
    var on = saved.has(button.getAttribute("data-save")), title = titleNear(button);
    button.classList.toggle("is-saved", on);
    button.textContent = on ? "Saved" : "Save";
    button.setAttribute("aria-label", on ? "Saved: " + title + " (press to unsave)" : "Save " + title);
  }

  function saveButton(button, saved) {
    showSaved(button, saved);
    button.hidden = false;
    button.addEventListener("click", function () {
      var slug = button.getAttribute("data-save");
      var on = !savedSlugs().has(slug);
      var kept = setSaved(slug, titleNear(button), on, button.getAttribute("data-day"));
      refresh(); // this button, and whatever else shows the list: saved.html's list, a shared list's buttons
      // Storage full (thousands of read marks share it) or off: the press did nothing, and
      // said nothing. Now the button says so for a moment, and a screen reader hears it.
      if (kept) return;
      button.textContent = (on ? "Not saved: " : "Not removed: ") +
        (trouble === "off" ? "this browser keeps no data for this site" : "this browser keeps no more");
      button.setAttribute("aria-label", button.textContent);
      setTimeout(function () { showSaved(button, savedSlugs()); }, 4000);
    });
  }

  function saveButtons() {
    var saved = savedSlugs(); // read once for every button of the page
    document.querySelectorAll("button[data-save]").forEach(function (button) { saveButton(button, saved); });
  }

  /* --- read marks ------------------------------------------------------------------------ */

  function readButton(button) {
    var slug = button.getAttribute("data-read");
    var marks = readMarks();
    if (!(slug in marks)) { // the first visit marks a paper read; "Mark as unread" sticks
      marks[slug] = 1;
      keep("read", marks);
    }
    function show() { // an action's name, not a state: "Mark as unread" on a read paper
      var read = readMarks()[slug] === 1;
      button.textContent = read ? "Mark as unread" : "Mark as read";
      button.classList.toggle("is-read", read);
    }
    show();
    refreshers.push(show);
    button.addEventListener("click", function () {
      var now = readMarks();
      now[slug] = now[slug] === 1 ? 0 : 1;
      keep("read", now);
      show();
    });
  }

  /* Lists (with a Save button) and related papers (`data-paper`) say which papers are read. */
  function markRead() {
    var marks = readMarks();
    document.querySelectorAll("li button[data-save], li[data-paper]").forEach(function (node) {
      var item = node.closest("li"), button = node.matches("button") ? node : null;
      var read = marks[button ? button.getAttribute("data-save") : item.getAttribute("data-paper")] === 1;
      var mark = item.querySelector(".read-mark");
      item.classList.toggle("is-read", read);
      if (!read && mark) mark.remove();
      if (!read || mark) return;
      mark = document.createElement("span");
      mark.className = "read-mark";
      mark.textContent = "Read";
      if (button) button.before(mark); else item.append(mark);
    });
  }

  /* --- how lists show their papers --------------------------------------------------------- */

  /* Above a list of papers (`data-list-view`): "Titles only" (no snippets or tags: a busy day
   * of 85 papers was 20,000 px to skim) and "Hide read", both kept for every list in this
   * browser. */
  var VIEWS = [["titles", "Titles only", "view-titles"], ["unread", "Hide read", "view-unread"]];

  /* The choices as kept, or none: a value reading.js did not write (a string, a list) threw
   * at every press of a toggle, or lost the choice at the next write. */
  function viewChoices() {
    var view = load("view", {});
    return view && typeof view === "object" && !Array.isArray(view) ? view : {};
  }

  function listView() {
    var bar = document.querySelector("[data-list-view]"); // its room is in the page: nothing moves
    if (!bar || !document.querySelector(".paper-list")) return;
    var status = document.createElement("span");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "How the list shows its papers");
    status.className = "list-view-status";
    status.setAttribute("role", "status");
    var show = function () {
      var view = viewChoices();
      VIEWS.forEach(function (v, i) {
        var on = view[v[0]] === true;
        document.body.classList.toggle(v[2], on);
        bar.children[i].setAttribute("aria-pressed", on ? "true" : "false");
      });
      var hidden = view.unread === true ? document.querySelectorAll(".paper-item.is-read").length : 0;
      status.textContent = hidden ? hidden + (hidden === 1 ? " read paper hidden" : " read papers hidden") : "";
    };
    VIEWS.forEach(function (v) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "list-view-toggle";
      button.textContent = v[1];
      button.addEventListener("click", function () {
        var view = viewChoices();
        view[v[0]] = view[v[0]] !== true;
        keep("view", view);
        show();
      });
      bar.append(button);
    });
    bar.append(status);
    refreshers.push(show); // read marks or another tab's choice
    show();
  }

  /* --- new since the last visit ---------------------------------------------------------- */

  /* The newest listing day a reader has seen is remembered; a visit's baseline is what it
   * was when the visit began, so the marks stay while they browse, in every tab. A visit
   * begins after VISIT_GAP without a page of the site viewed, as web analytics count
   * sessions: a tab left open for days starts a new one, a link opened in a new tab does
   * not (a per-tab baseline did both the other way round). */
  var VISIT_GAP = 30 * 60 * 1000;

  function visitBaseline() {
    var visit = load("visit", null), now = Date.now();
    // A clock set back a little (a time sync) goes on with the visit; back by more, not.
    var going = visit && typeof visit.at === "number" && typeof visit.baseline === "string" &&
      now - visit.at > -VISIT_GAP && now - visit.at < VISIT_GAP;
    visit = going ? { baseline: dayOrNothing(visit.baseline), at: now } : { baseline: dayOrNothing(load("seen", "")), at: now };
    keep("visit", visit);
    return visit.baseline;
  }

  function markNew() {
    var baseline = visitBaseline();
    var newest = dayOrNothing(load("seen", "")); // a value we did not write is put right
    // A day listed since the last visit, and a paper added since then to an older day (a
    // late dump's: `data-added`) unless its day, the last one before it, is marked.
    var dayIsNew = false;
    document.querySelectorAll("[data-listed], [data-added]").forEach(function (el) {
      var listed = el.hasAttribute("data-listed");
      var day = el.getAttribute(listed ? "data-listed" : "data-added");
      if (day > newest) newest = day;
      var isNew = !!baseline && day > baseline;
      if (listed) dayIsNew = isNew;
      if (!isNew || (!listed && dayIsNew)) return;
      el.classList.add("is-new");
      var mark = document.createElement("span");
      mark.className = "new-mark";
      mark.textContent = "New";
      // A day's heading, a paper's title; on a week or month page, after the paper's link.
      var heading = el.querySelector(listed ? "h2" : "h3"), link = !heading && !listed && el.querySelector("a");
      if (link) link.after(" ", mark);
      else (heading || el).append(" ", mark);
    });
    var note = document.getElementById("new-since");
    // A front page names its whole list's newest days (`data-days`): the days on it alone
    // said "1 day new" when the reader had missed two, the second on an older page.
    var listed = note && note.getAttribute("data-days");
    if (listed) {
      var days = listed.split(" ");
      if (days[0] > newest) newest = days[0];
      var count = baseline ? days.filter(function (day) { return day > baseline; }).length : 0;
      var more = count === days.length && note.hasAttribute("data-more") ? "+" : "";
      if (count) {
        note.textContent = count + more + (count === 1 && !more ? " day" : " days") + " new since your last visit";
        note.hidden = false;
      }
    }
    keep("seen", newest);
  }

  /* --- saved.html ------------------------------------------------------------------------ */

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  /* "2026-03-12" as lists show a day, "Mar 12, 2026"; without the year when `short` and it
   * is this year's ("saved Dec 3"). */
  function showDay(day, short) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dayOrNothing(day)); // stored by hand: "2025-13-01"
    if (!m) return "";
    var text = MONTHS[Number(m[2]) - 1] + " " + Number(m[3]);
    return short && m[1] === String(new Date().getFullYear()) ? text : text + ", " + m[1];
  }

  function timeOf(day, short) {
    var time = document.createElement("time");
    time.dateTime = day;
    time.textContent = showDay(day, short);
    return time;
  }

  /* The start of an abstract as lists show it (render/page_text.py `snippet`): 240 characters, cut
   * at a word, unless that leaves less than half (no spaces to cut at). */
  function snippetOf(text) {
    var flat = (text || "").split(/\s+/).filter(Boolean).join(" "), limit = 240;
    if (flat.length <= limit) return flat;
    var cut = flat.slice(0, limit + 1), space = cut.lastIndexOf(" ");
    cut = space >= 0 ? cut.slice(0, space) : cut;
    if (cut.length < limit / 2) cut = flat.slice(0, limit);
    return cut.replace(/[,;:.\-\u2013\u2014]+$/, "") + "\u2026";
  }

  /* A tag's page: a tag whose name is a safe file name keeps it (layout.py `_tag_file_slugs`);
   * any other is found through search.html's filter. */
  function tagHref(name) {
    var safe = /^[a-z0-9][a-z0-9-]{0,79}$/.test(name) && !/^(index|con|prn|aux|nul|com\d|lpt\d)$/.test(name);
    return safe ? root + "tags/" + name + ".html" : root + "search.html?tag=" + encodeURIComponent(name);
  }

  function paperHref(slug) { return root + "papers/" + slug + ".html"; }

  /* The saved papers' details (listing day, tags, abstract) come from the search files
   * (search.js's `SitePapers`): slug → doc, or null for a paper the site no longer has. Each
   * saved paper's entry shows its title and save day from localStorage at once, and its
   * details when they arrive, once it is near the screen: without them (no search files, no
   * search.js) the list is as before. */
  /* A title's direction: search.js's `textDir` (loaded before this script), else `auto`. */
  function textDir(text) {
    return window.SiteText ? window.SiteText.textDir(text) : "auto";
  }

  /* A paper's entry in a reading list (one's own, or a shared one): its title as a heading
   * of `level`, and the line under it. */
  function savedItem(slug, level) {
    var li = document.createElement("li"), heading = document.createElement(level);
    li.className = "saved-item";
    li.setAttribute("data-slug", slug);
    heading.className = "saved-title";
    heading.dir = "auto"; // a title in Arabic or Hebrew reads right to left
    var meta = document.createElement("p");
    meta.className = "saved-meta";
    li.append(heading, meta);
    return li;
  }

  function savedPage(list, status) {
    var details = new Map(), asked = new Set();
    // The entries drawn, by slug: {li, as: the item and heading level it was drawn from}.
    var drawn = new Map(), rendered = false;
    refreshers.push(render); // another tab saved or removed, or Back
    // Details are asked for as entries come near the screen: a list of hundreds loaded a
    // chunk of abstracts for each at once.
    var near = "IntersectionObserver" in window ? new IntersectionObserver(function (seen) {
      var slugs = new Set();
      seen.forEach(function (e) {
        if (!e.isIntersecting) return;
        near.unobserve(e.target);
        slugs.add(e.target.getAttribute("data-slug"));
      });
      if (slugs.size) lookUp(savedList().filter(function (item) { return slugs.has(item.slug); }));
    }, { rootMargin: "100% 0px" }) : null;

    function entry(item) {
      // Under "Your saved papers" when a shared list is shown above: each paper a section of
      // it, not a section of the page beside it.
      var own = document.getElementById("saved-heading");
      var li = savedItem(item.slug, own && !own.hidden ? "h3" : "h2");
      var link = document.createElement("a");
      link.href = paperHref(item.slug);
      link.textContent = item.title;
      li.querySelector(".saved-title").append(link);
      li.querySelector(".saved-title").dir = textDir(item.title);
      var remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove " + item.title);
      remove.addEventListener("click", function () {
        var at = savedList().findIndex(function (other) { return other.slug === item.slug; });
        var kept = setSaved(item.slug, item.title, false);
        refresh(); // the list, and a shared list's buttons above it
        // A list that could not be written (storage full) still holds the paper: "Removed"
        // was said of it all the same.
        status.textContent = kept ? "Removed " + item.title + ". " + status.textContent
          : "Not removed: " + notKept() + ".";
        // The button is gone with its item: focus the one now in its place (or the last,
        // or the status when none is left) rather than drop it to the page's start.
        var buttons = list.querySelectorAll("button");
        (buttons[Math.min(at, buttons.length - 1)] || status).focus();
      });
      li.append(remove);
      describe(li, item);
      return li;
    }

    /* The line under the title, and what the search files tell: listed when, its tags and
     * the start of its abstract; or, for a slug the site does not have, that it is gone. */
    function describe(li, item) {
      var doc = details.get(item.slug), meta = li.querySelector(".saved-meta");
      var listed = doc ? doc.listed : item.listed;
      meta.replaceChildren();
      if (doc === null) {
        var heading = li.querySelector(".saved-title");
        heading.replaceChildren(item.title); // no link to a page that is not there
        li.classList.add("is-gone");
        var gone = document.createElement("strong");
        gone.textContent = "No longer on this site";
        var search = document.createElement("a");
        search.href = root + "search.html?q=" + encodeURIComponent(item.title);
        search.textContent = "search for its title";
        search.setAttribute("aria-label", "search for its title, " + item.title); // links to differ by name
        meta.append(gone, " (removed, or its address changed): ", search, ".");
      } else if (listed) {
        meta.append("Listed ", timeOf(listed, false), ".");
      }
      if (dayOrNothing(item.saved)) meta.append(meta.childNodes.length ? " " : "", "Saved ", timeOf(item.saved, true), ".");
      if (!doc || li.querySelector(".saved-snippet")) return;
      if (doc.title) { // the site's title, should it have been edited since the paper was saved
        li.querySelector(".saved-title a").textContent = doc.title;
        li.querySelector("button").setAttribute("aria-label", "Remove " + doc.title);
      }
      if (doc.text) {
        var snippet = document.createElement("p");
        snippet.className = "saved-snippet";
        snippet.dir = "auto";
        snippet.textContent = snippetOf(doc.text);
        meta.after(snippet);
      }
      if (doc.tags.length) {
        var tags = document.createElement("ul");
        tags.className = "tag-list";
        tags.setAttribute("aria-label", "Tags");
        doc.tags.forEach(function (t) {
          var tagItem = document.createElement("li"), a = document.createElement("a");
          a.className = "tag";
          a.href = tagHref(t.name);
          a.textContent = t.title;
          tagItem.append(a);
          tags.append(tagItem);
        });
        li.querySelector("button").before(tags);
      }
    }

    /* Ask the search files for the papers not asked for yet; fill their entries in place (a
     * focused Remove keeps its focus), and keep each found paper's day with it, so the next
     * visit finds it among that day's papers at once. */
    function lookUp(items) {
      var wanted = items.filter(function (item) { return !asked.has(item.slug); });
      if (!wanted.length || !window.SitePapers) return;
      wanted.forEach(function (item) { asked.add(item.slug); });
      list.setAttribute("aria-busy", "true");
      window.SitePapers.papers(wanted).then(function (docs) {
        var now = Object.create(null), changed = false;
        wanted.forEach(function (item, i) {
          var doc = docs[i];
          details.set(item.slug, doc);
          if (doc) now[item.slug] = doc;
        });
        var updated = savedList().map(function (item) {
          var doc = now[item.slug];
          if (!doc) return item;
          if (doc.listed && doc.listed !== item.listed) { item.listed = doc.listed; changed = true; }
          if (doc.title && doc.title !== item.title && doc.title.length <= MAX_TITLE) { item.title = doc.title; changed = true; }
          return item;
        });
        if (changed) keepSaved(updated);
        savedList().forEach(function (item) {
          var was = drawn.get(item.slug);
          if (!was || !details.has(item.slug)) return;
          describe(was.li, item);
          was.as = drawnAs(item); // its site title and day now kept: the same entry
        });
      }).catch(function () {
        wanted.forEach(function (item) { asked.delete(item.slug); }); // the titles stay; tried again on the next change
      }).finally(function () {
        list.removeAttribute("aria-busy");
      });
    }

    function drawnAs(item) {
      var own = document.getElementById("saved-heading");
      return (own && !own.hidden ? "h3 " : "h2 ") + JSON.stringify(item);
    }

    /* The list brought in step with what is saved, entry by entry: every page viewed in
     * another tab (its read mark, the visit) drew it all again, which took the focused
     * Remove away, hid a shared link just made, and at 2,000 papers took 300 ms. */
    function render() {
      var items = savedList(), next = new Map(), made = [], changed = !rendered;
      rendered = true;
      items.forEach(function (item) {
        var was = drawn.get(item.slug), as = drawnAs(item);
        if (was && was.as === as) {
          next.set(item.slug, was);
          return;
        }
        next.set(item.slug, { li: entry(item), as: as });
        made.push(item);
      });
      drawn.forEach(function (was, slug) {
        if (next.get(slug) === was) return;
        if (near) near.unobserve(was.li);
        was.li.remove();
        changed = true;
      });
      var at = list.firstElementChild; // each entry in its place: those in place stay put
      items.forEach(function (item) {
        var li = next.get(item.slug).li;
        if (li === at) at = at.nextElementSibling;
        else list.insertBefore(li, at);
      });
      drawn = next;
      if (!changed && !made.length) return; // another key changed: nothing to say again
      status.textContent = items.length ? items.length + (items.length === 1 ? " saved paper" : " saved papers")
        : storageOff() ? "This browser keeps no data for this site (site data is blocked), so papers cannot be saved here."
          : "No saved papers yet.";
      document.getElementById("saved-export").disabled = !items.length;
      var markdown = document.getElementById("saved-export-markdown");
      if (markdown) markdown.disabled = !items.length;
      var share = document.getElementById("saved-share"), shareLink = document.getElementById("saved-share-link");
      if (share) share.disabled = !items.length;
      if (shareLink) shareLink.hidden = true; // made for the list as it was: press Share again
      if (!near) {
        lookUp(items);
        return;
      }
      made.forEach(function (item) {
        if (!asked.has(item.slug)) near.observe(next.get(item.slug).li);
      });
    }

    /* The saved list as a Markdown list: each title linked to its page, with its listing day
     * and the day it was saved. The links are the published site's (`base_url`), which the
     * list is shared with, when the site has one: a list exported from a copy on disk or on
     * 127.0.0.1 sent links no one else could open (a reviewer). */
    var published = list.getAttribute("data-published");
    function asMarkdown() {
      var lines = ["# Saved papers", ""];
      savedList().forEach(function (item) {
        var doc = details.get(item.slug), listed = doc ? doc.listed : item.listed;
        var title = item.title.replace(/\s+/g, " ").replace(/([\\`*_[\]<>])/g, "\\$1");
        var when = [];
        if (listed && doc !== null) when.push("listed " + showDay(listed, false));
        if (dayOrNothing(item.saved)) when.push("saved " + showDay(item.saved, false));
        lines.push("- " + (doc === null ? title + " (no longer on this site)"
          : "[" + title + "](" + (published ? published + "papers/" + item.slug + ".html"
            : new URL(paperHref(item.slug), location.href).href) + ")") +
          (when.length ? " \u2014 " + when.join(", ") : ""));
      });
      return lines.join("\n") + "\n";
    }

    function download(text, type, name) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], { type: type }));
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    }

    status.tabIndex = -1;

    /* A list set aside as unreadable (`keepSaved`), said above the list with the list as it
     * was to download and a way to let it go; one found here before any Save is set aside
     * now. */
    function showSetAside() {
      setAsideUnreadable();
      var aside = setAside(), note = document.getElementById("saved-unreadable");
      if (!aside.length) {
        if (note) note.remove();
        return;
      }
      if (note) return;
      note = document.createElement("div"); // the actions' look: text, then its two buttons
      note.id = "saved-unreadable";
      note.className = "saved-actions";
      var words = document.createElement("span");
      words.textContent = "This browser also holds a saved list this page cannot read (damaged, or " +
        "kept by another version of this site). It is kept as it was.";
      note.append(words);
      var save = document.createElement("button"), drop = document.createElement("button");
      save.type = drop.type = "button";
      save.textContent = "Download it";
      drop.textContent = "Delete it";
      save.addEventListener("click", function () {
        download(setAside().join("\n") + "\n", "text/plain", "saved-papers-unreadable.txt");
      });
      drop.addEventListener("click", function () {
        try {
          window.localStorage.removeItem(prefix + "saved-unreadable");
        } catch (e) {
          /* storage off: it cannot be there */
        }
        showSetAside();
        status.focus();
      });
      note.append(save, drop);
      list.before(note);
    }
    refreshers.push(showSetAside);
    showSetAside();

    document.getElementById("saved-export").addEventListener("click", function () {
      var data = JSON.stringify({ format: "site_builder saved papers", version: 1, saved: savedList() }, null, 2);
      download(data + "\n", "application/json", "saved-papers.json");
    });
    var markdown = document.getElementById("saved-export-markdown");
    if (markdown) {
      markdown.addEventListener("click", function () {
        download(asMarkdown(), "text/markdown", "saved-papers.md");
      });
    }

    /* The list as a link: its papers' slugs, each with its listing day (where the search
     * files find it at once), in the fragment, which no server sees. On the published site
     * when there is one, as the Markdown export links: a link to a copy on disk or on
     * 127.0.0.1 opens for no one else. */
    var share = document.getElementById("saved-share");
    if (share) {
      share.addEventListener("click", function () {
        var items = savedList(), count = items.length + (items.length === 1 ? " paper" : " papers");
        if (items.length > MAX_SHARED) {
          count = "newest " + MAX_SHARED + " saved papers (a link holds no more)";
          items = items.slice(0, MAX_SHARED);
        }
        var url = (published ? published + "saved.html" : location.href.split("#")[0]) + "#share=" +
          items.map(function (item) { return item.slug + (dayOrNothing(item.listed) ? "@" + item.listed : ""); }).join(",");
        // A copy on disk or on this computer's own server, with no published address: say so.
        var here = !published && (location.protocol === "file:" || /^(localhost|127\.0\.0\.1|\[::1\])$/.test(location.hostname));
        var note = here ? " This copy of the site has no public address, so the link opens only on this computer." : "";
        var field = document.getElementById("saved-share-url");
        field.value = url;
        document.getElementById("saved-share-link").hidden = false;
        copyText(url, function () {
          status.textContent = "A link to your " + count + " is copied; it is also below." + note;
        }, function () {
          status.textContent = "Copy the link below to share your " + count + "." + note;
          field.focus();
          field.select();
        });
      });
    }

    document.getElementById("saved-import").addEventListener("change", function (e) {
      var file = e.target.files && e.target.files[0];
      if (!file) return;
      file.text().then(function (text) {
        var data = JSON.parse(text);
        var incoming = Array.isArray(data) ? data : data && data.saved;
        if (!Array.isArray(incoming)) throw new Error("no list of saved papers");
        var good = incoming.filter(validItem);
        var list = savedList();
        var have = Object.create(null); // slugs such as `constructor` are papers too
        list.forEach(function (item) { have[item.slug] = true; });
        var added = good.filter(function (item) {
          var fresh = !have[item.slug];
          have[item.slug] = true;
          return fresh;
        }).map(function (item) {
          var kept = { slug: item.slug, title: item.title, saved: dayOrNothing(item.saved) };
          if (dayOrNothing(item.listed)) kept.listed = item.listed;
          return kept;
        });
        // Newest saved first, as saving builds the list (an item without a date goes last;
        // the sort is stable, so equal dates keep their order).
        var kept = !added.length || keepSaved(list.concat(added).sort(function (a, b) {
          var x = a.saved || "", y = b.saved || "";
          return x === y ? 0 : (x < y ? 1 : -1);
        }));
        render();
        // Storage full (an 8 MB export; other sites on file:// or user.github.io share it) or
        // blocked: "Imported 60000 papers" was said over a list that had not changed.
        if (!kept) {
          status.textContent = "Not imported: " + notKept() + "." + (trouble === "full" ? " Your list is as it was." : "");
          return;
        }
        var already = good.length - added.length, skipped = incoming.length - good.length;
        status.textContent = "Imported " + added.length + (added.length === 1 ? " paper" : " papers") +
          (already ? "; " + already + " already saved" : "") +
          (skipped ? "; skipped " + skipped + (skipped === 1 ? " that was not a paper" : " that were not papers") : "");
      }).catch(function () {
        status.textContent = "That file is not a saved-papers export (JSON with a \"saved\" list).";
      }).finally(function () {
        e.target.value = "";
      });
    });
    render();
  }

  /* --- a list shared as a link (saved.html#share=…) ------------------------------------- */

  var MAX_SHARED = 500;

  /* The papers a shared link names, in its order, each once: {slug, title, listed}. A part
   * that is no slug (a link cut short, or mangled by a chat program) is left out. */
  function sharedItems() {
    var match = /^#share=(.*)$/.exec(location.hash), seen = Object.create(null), items = [];
    items.more = 0; // papers past MAX_SHARED, counted
    if (!match) return items;
    var text = match[1];
    try { text = decodeURIComponent(text); } catch (e) { /* kept as it came */ }
    text.split(",").forEach(function (part) {
      var at = part.indexOf("@"), slug = at < 0 ? part : part.slice(0, at);
      if (!SLUG.test(slug) || seen[slug]) return;
      seen[slug] = true;
      if (items.length >= MAX_SHARED) { items.more++; return; }
      items.push({ slug: slug, title: "", listed: at < 0 ? "" : dayOrNothing(part.slice(at + 1)) });
    });
    return items;
  }

  /* Above the reader's own list: the papers of a shared link, found in the search files as
   * the saved list's are, each with its Save button, and a button that saves them all. A
   * paper the site does not have (removed, or the link is another site's) says so. */
  function sharedPage(section) {
    var list = document.getElementById("shared-items"), status = document.getElementById("shared-status");
    var all = document.getElementById("shared-save-all"), own = document.getElementById("saved-heading");
    var found = []; // {slug, title, listed} of the papers the site has, in the link's order
    var drawn = 0; // which drawing of the list is current: a slow look-up of an earlier link is dropped
    var drawnCount = 0; // how many papers the current link names
    status.tabIndex = -1;
    refreshers.push(showAll);

    var summary = ""; // "N papers in this link", once the look-up is done: what the status says

    /* The button says how many it would save; the status, the list as it now stands (a
     * Remove below, or another tab, changes it: "Saved 3 papers" was left standing). */
    function showAll() {
      var saved = savedSlugs(), left = found.filter(function (item) { return !saved.has(item.slug); });
      all.disabled = !left.length;
      all.textContent = !left.length && found.length ? "All saved"
        : left.length < found.length ? "Save the other " + left.length : "Save all " + left.length;
      if (!summary) return;
      var have = found.length - left.length, gone = drawnCount - found.length;
      status.textContent = summary + (have ? "; " + have + " already in your list" : "") +
        (gone ? "; " + gone + " not on this site" : "") + ".";
    }

    function entry(item) {
      var li = savedItem(item.slug, "h3");
      li.querySelector(".saved-title").textContent = item.slug.replace(/-/g, " "); // until the search files give its title
      if (item.listed) li.querySelector(".saved-meta").append("Listed ", timeOf(item.listed, false), ".");
      return li;
    }

    /* An entry once its doc is known: a link with the site's title and a Save button, or
     * (null) a paper the site does not have; `undefined`: no search files to ask. */
    function fill(li, item, doc) {
      var heading = li.querySelector(".saved-title");
      if (doc === null) {
        li.classList.add("is-gone");
        li.querySelector(".saved-meta").replaceChildren("Not on this site (removed, or the link is another site\u2019s).");
        return;
      }
      var link = document.createElement("a");
      link.href = paperHref(item.slug);
      link.textContent = doc ? doc.title : heading.textContent;
      heading.replaceChildren(link);
      var listed = doc ? doc.listed : item.listed;
      var meta = li.querySelector(".saved-meta");
      meta.replaceChildren();
      if (listed) meta.append("Listed ", timeOf(listed, false), ".");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "save-button";
      button.setAttribute("data-save", item.slug);
      if (listed) button.setAttribute("data-day", listed);
      li.append(button);
      saveButton(button, savedSlugs());
      found.push({ slug: item.slug, title: link.textContent, listed: listed });
    }

    function show() {
      var items = sharedItems(), mine = ++drawn, sent = /^#share=/.test(location.hash);
      section.hidden = !sent;
      if (own) own.hidden = !sent; // "Your saved papers", below the shared ones
      list.replaceChildren();
      found = [];
      summary = "";
      drawnCount = items.length;
      all.hidden = !items.length;
      // A link mangled on its way (cut short, its letters changed by a chat program) opened
      // the plain page, and the reader was told nothing of the list they were sent.
      if (sent && !items.length) {
        status.textContent = "This link names no paper: it was cut short or changed on its way. Ask for the link again.";
      }
      if (!items.length) return;
      var count = items.length + (items.length === 1 ? " paper" : " papers") +
        (items.more ? " (of " + (items.length + items.more) + ": one link shows no more)" : "");
      var entries = items.map(function (item) { var li = entry(item); list.append(li); return li; });
      all.disabled = true;
      status.textContent = count + " in this link.";
      var done = function (docs) {
        if (mine !== drawn) return; // another link was opened meanwhile
        items.forEach(function (item, i) { fill(entries[i], item, docs[i]); });
        summary = count + " in this link";
        showAll();
        markRead();
      };
      if (!window.SitePapers) return done(items.map(function () { return undefined; }));
      list.setAttribute("aria-busy", "true");
      window.SitePapers.papers(items).then(done, function () {
        done(items.map(function () { return undefined; }));
      }).finally(function () { list.removeAttribute("aria-busy"); });
    }

    all.addEventListener("click", function () {
      var saved = savedSlugs(), left = found.filter(function (item) { return !saved.has(item.slug); });
      var kept = saveAll(left); // in the link's order, on top of the reader's list
      refresh();
      status.textContent = kept ? "Saved " + left.length + (left.length === 1 ? " paper" : " papers") + " to your list."
        : "None saved: " + notKept() + "."; // one write: none of them was kept
      status.focus(); // the button is now disabled: focus stays near it, not at the page's start
    });
    // Another shared link opened over this one, or Back to the plain page; not the skip
    // link's #main, which left the list showing. The reader's own list is drawn again too:
    // its status and share link spoke of the page as it was.
    window.addEventListener("hashchange", function () {
      if (/^#share=/.test(location.hash) || !location.hash) {
        show();
        refresh();
      }
    });
    show();
  }

  /* --- copy citation --------------------------------------------------------------------- */

  function citeButton(button) {
    var status = button.parentElement.querySelector(".cite-status");
    button.addEventListener("click", function () {
      var text = document.getElementById(button.getAttribute("data-cite")).textContent.trim();
      var done = function () { // said again on a second copy: a live region speaks changes only
        status.textContent = "";
        setTimeout(function () { status.textContent = "Citation copied"; }, 100);
      };
      var failed = function () { status.textContent = "Could not copy: open Cite below and copy the text"; };
      copyText(text, done, failed);
    });
  }

  /* `text` to the clipboard, then `done()`, or `failed()` when the browser would not: the
   * clipboard API is missing from file:// in some browsers, where copying a selection works. */
  function copyText(text, done, failed) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { if (copyBySelection(text)) done(); else failed(); });
    } else if (copyBySelection(text)) {
      done();
    } else {
      failed();
    }
  }

  function copyBySelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    var focused = document.activeElement;
    document.body.append(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    if (focused && focused.focus) focused.focus(); // selecting moved focus into the text area
    return ok;
  }

  /* --- the 404 page ---------------------------------------------------------------------- */

  var MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  /* Where a missing address may lead. The host serves the 404 page at that address, and its
   * `root` is the site's path from base_url, so the address says what was asked for: a
   * paper's page (removed, or its slug changed without `moved_from`): the words of its slug
   * to search for; a day's page (its last paper moved to another day when a dump's date was
   * put right, a bookmark kept): its month; a tag's page (renamed or removed without an
   * alias): search's filter by that name, which offers the nearest tag. */
  function notFound(hint) {
    // Both decoded: a base path such as /r%C3%A9sum%C3%A9/ is written encoded in the page.
    var path = location.pathname, base = root, m;
    try { path = decodeURIComponent(path); base = decodeURIComponent(root); } catch (e) { /* as they came */ }
    if (!root || root.charAt(0) !== "/" || path.indexOf(base) !== 0) return;
    var rel = path.slice(base.length);
    var link = function (href, text) {
      var a = document.createElement("a");
      a.href = root + href;
      a.textContent = text;
      return a;
    };
    if ((m = /^papers\/([a-z0-9]+(?:-[a-z0-9]+)*)\.html$/.exec(rel))) {
      var words = m[1].replace(/-/g, " ");
      hint.append("No paper has this address now (removed, or given another one). ",
        link("search.html?q=" + encodeURIComponent(words), "Search for \u201c" + words + "\u201d"),
        ", the words of its address.");
    } else if ((m = /^archive\/(\d{4})\/(\d{2})-(\d{2})\.html$/.exec(rel)) && dayOrNothing(m[1] + "-" + m[2] + "-" + m[3])) {
      var month = "archive/" + m[1] + "/" + m[2] + ".html", name = MONTH_NAMES[Number(m[2]) - 1] + " " + m[1];
      var said = "No paper is listed on " + showDay(m[1] + "-" + m[2] + "-" + m[3], false) +
        " now: its papers may have moved to another day. ";
      // Its month, if the site still lists papers in it (the day may have moved to another
      // month, or year); else the archive.
      return exists(month, function (there) {
        hint.append(said, there ? link(month, "The papers of " + name) : link("archive/index.html", "The archive, by month"), ".");
        hint.hidden = false;
      });
    } else if ((m = /^tags\/([^/]+?)(?:\/page\/\d+)?\.html$/.exec(rel)) && m[1] !== "index") {
      var tag = m[1], front = "tags/" + tag + ".html", paged = rel !== front;
      return exists(front, function (there) {
        if (there && paged) { // a later page of a tag that has fewer pages now
          hint.append("This tag has fewer pages now. ", link(front, "The papers tagged \u201c" + tag + "\u201d"), ".");
        } else {
          hint.append("No tag has this address now (renamed, or removed). ",
            link("search.html?tag=" + encodeURIComponent(tag), "Search for the tag \u201c" + tag + "\u201d"), ".");
        }
        hint.hidden = false;
      });
    } else {
      return;
    }
    hint.hidden = false;
  }

  /* Whether the site has a page: its index (the archive's, or the tags') links it. Asked of
   * the index, not of the page, which would be one more 404 in the reader's console; the
   * 404 page is served over HTTP only, and the CSP lets it fetch its own site. `then(false)`
   * when it cannot tell. */
  function exists(path, then) {
    var index = path.split("/")[0] + "/index.html";
    if (!window.fetch) return then(false);
    fetch(root + index).then(function (r) { return r.ok ? r.text() : ""; }).then(function (text) {
      then(text.indexOf('href="../' + path + '"') >= 0);
    }, function () { then(false); });
  }

  /* --- start ----------------------------------------------------------------------------- */

  /* --- the tag filter of day and week pages ----------------------------------------------- */

  /* The chips at the top of a day or week page link to the tags' pages; here they become
   * buttons that keep shown only the papers with one tag (press another to switch, press it
   * again or "Show all papers" to undo). The choice is the address's `#tag=NAME`, so a link
   * keeps it and Back undoes it; a day of a week page whose papers are all hidden is hidden. */
  function tagFilter(section) {
    var status = section.querySelector("[role=status]");
    var all = section.querySelector(".tag-filter-all");
    var papers = document.querySelectorAll("main .paper-list > li, main .paper-titles > li");
    var days = document.querySelectorAll("main section.day");
    var buttons = {}, titles = {}, current = null;
    section.querySelectorAll("a[data-tag]").forEach(function (link) {
      var name = link.getAttribute("data-tag");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tag tag-filter-button";
      button.setAttribute("data-tag", name);
      button.setAttribute("aria-pressed", "false");
      titles[name] = (link.firstChild && link.firstChild.nodeValue || name).trim();
      while (link.firstChild) button.appendChild(link.firstChild);
      link.parentNode.replaceChild(button, link);
      buttons[name] = button;
      button.addEventListener("click", function () {
        choose(button.getAttribute("aria-pressed") === "true" ? "" : name);
      });
    });
    all.addEventListener("click", function () {
      var was = buttons[current];
      choose("");
      if (was) was.focus(); // the pressed button hides: focus goes back to the tag
    });

    // One stop for Tab, the arrow keys between the tags (as a toolbar's buttons): twenty
    // chips were twenty stops before the first paper (34 Tabs on a busy day; a review).
    var order = Array.prototype.slice.call(section.querySelectorAll("button[data-tag]"));
    var row = section.querySelector("ul");
    if (row) { // said as a toolbar, whose keys are the arrows
      row.setAttribute("role", "toolbar");
      row.setAttribute("aria-label", "Filter the papers by tag");
      row.querySelectorAll("li").forEach(function (li) { li.setAttribute("role", "none"); });
    }
    function rove(button) {
      order.forEach(function (b) { b.tabIndex = b === button ? 0 : -1; });
    }
    section.addEventListener("keydown", function (e) {
      var at = order.indexOf(document.activeElement);
      if (at < 0) return;
      var to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: order.length - 1 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      var next = order[(to + order.length) % order.length];
      rove(next);
      next.focus();
    });
    section.addEventListener("focusin", function (e) {
      if (order.indexOf(e.target) >= 0) rove(e.target);
    });

    function chosen() {
      var match = /^#tag=(.+)$/.exec(location.hash), name = "";
      if (match) { try { name = decodeURIComponent(match[1]); } catch (e) { name = ""; } }
      return Object.prototype.hasOwnProperty.call(buttons, name) ? name : "";
    }

    function choose(name) {
      var url = location.href.split("#")[0] + (name ? "#tag=" + encodeURIComponent(name) : "");
      try { history.pushState(null, "", url); } catch (e) { location.hash = name ? "tag=" + name : ""; }
      show();
    }

    function show() {
      var name = chosen();
      if (name === current) return;
      var before = current;
      current = name;
      var shown = 0;
      papers.forEach(function (li) {
        var tags = (li.getAttribute("data-tags") || "").split(" ");
        li.hidden = !!name && tags.indexOf(name) < 0;
        if (!li.hidden) shown++;
      });
      days.forEach(function (day) {
        day.hidden = !!name && !day.querySelector(".paper-titles > li:not([hidden]), .paper-list > li:not([hidden])");
      });
      Object.keys(buttons).forEach(function (key) {
        buttons[key].setAttribute("aria-pressed", key === name ? "true" : "false");
      });
      if (!section.contains(document.activeElement)) rove(buttons[name] || order[0]);
      var total = papers.length;
      all.hidden = !name;
      if (name) {
        // Not "Showing 25 of 198 papers tagged Agents": read as 198 Agents papers (a new user).
        status.textContent = "Showing the " + (shown === 1 ? "one paper" : shown + " papers") + " tagged " +
          titles[name] + " (of " + total + " on this page).";
      } else {
        status.textContent = before ? "Showing all " + total + " " + (total === 1 ? "paper" : "papers") + "." : "";
      }
    }

    window.addEventListener("popstate", show);
    window.addEventListener("hashchange", show);
    show();
  }

  /* What another tab, or the page itself before Back brought it from the browser's cache,
   * may have changed: saved papers and read marks. */
  var refreshers = [];

  function refresh() {
    var saved = savedSlugs();
    document.querySelectorAll("button[data-save]").forEach(function (button) { showSaved(button, saved); });
    refreshers.forEach(function (show) { show(); });
    markRead();
  }

  // For search.js: a Save button on each result search.html shows.
  window.SiteReading = { saveButton: function (button) { saveButton(button, savedSlugs()); } };

  /* The offline copy's footer link leads to the zip beside its pages, which a zip cannot
   * hold: opened from disk, it leads to the published site's zip, a newer copy (a site with
   * no public address keeps the link: a built `_site/` opened from disk has its zip). */
  function offlineCopyLink() {
    if (location.protocol !== "file:") return;
    var link = document.querySelector(".offline-copy a[data-published]");
    if (!link) return;
    var published = link.getAttribute("data-published");
    link.href = published;
    link.removeAttribute("download");
    link.textContent = "Download the newest copy of this site (zip)";
  }

  function start() {
    adoptMovedCopy();
    offlineCopyLink();
    document.querySelectorAll(".reading-controls").forEach(function (el) { el.hidden = false; });
    saveButtons();
    document.querySelectorAll("button[data-read]").forEach(readButton);
    markRead();
    markNew();
    window.addEventListener("pageshow", function (e) { if (e.persisted) { visitBaseline(); refresh(); } });
    window.addEventListener("storage", function (e) { if (!e.key || e.key.indexOf(prefix) === 0) refresh(); });
    var shared = document.getElementById("shared"); // first: it says whether "Your saved papers" shows
    if (shared) sharedPage(shared);
    var list = document.getElementById("saved-list");
    if (list) savedPage(list, document.getElementById("saved-status"));
    var hint = document.getElementById("not-found-hint");
    if (hint) notFound(hint);
    document.querySelectorAll("button[data-cite]").forEach(citeButton);
    document.querySelectorAll("[data-tag-filter]").forEach(tagFilter);
    document.querySelectorAll(".tag-cloud ul, .tag-filter ul").forEach(chipRow);
    listView();
    printedOpen();
  }

  /* A printed paper page carried the word "Cite" and not the citation: its details are
   * opened for the printout, and closed again after unless the reader had opened them. */
  function printedOpen() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details.paper-cite:not([open])").forEach(function (el) {
        el.open = true;
        opened.push(el);
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (el) { el.open = false; });
      opened = [];
    });
  }

  /* On a phone a row of chips scrolls sideways under a fade at its end: a chip reached by Tab
   * was left half out of the row or under the fade, its focus ring unseen. Brought into
   * view, it stops clear of both (the row's scroll-padding, style.css). */
  function chipRow(row) {
    row.addEventListener("focusin", function (e) {
      if (row.scrollWidth > row.clientWidth) e.target.scrollIntoView({ block: "nearest", inline: "nearest" });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
