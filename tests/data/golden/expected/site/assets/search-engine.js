/* Site search engine: the files site_builder/search.py writes → lunr.js queries.
 *
 * No DOM here: search.js (the page UI) loads this in the browser, and the tests run it
 * under Node. Words are analysed exactly as site_builder/search_index.py does (keep the
 * two in step); term shards are turned into lunr's serialization, scored as lunr's
 * Builder scores, and loaded with lunr.Index.load.
 */
(function (global) {
  "use strict";

  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var DIGIT = {};
  for (var d = 0; d < DIGITS.length; d++) DIGIT[DIGITS.charCodeAt(d)] = d;
  var WORD = "[\\p{L}\\p{N}]+(?:[-.'\u2019][\\p{L}\\p{N}]+)*";
  var MAX_WORD = 40;
  // lunr keeps per-posting metadata (we store none); it copies, never writes, an empty one.
  var NO_METADATA = {};
  var BOOST = { exact: 10, part: 3, prefix: 2, fuzzy: 1 };
  var PREFIX_LIMIT = 30; // completions considered for a word being typed
  var FUZZY_MIN = 5; // words this long tolerate one typo
  var STOP = {};
  ("a able about across after all almost also am among an and any are as at be because been " +
   "but by can cannot could dear did do does either else ever every for from get got had has " +
   "have he her hers him his how however i if in into is it its just least let like likely may " +
   "me might most must my neither no nor not of off often on only or other our own rather said " +
   "say says she should since so some than that the their them then there these they this tis " +
   "to too twas us wants was we were what when where which while who whom why will with would " +
   "yet you your").split(" ").forEach(function (w) { STOP[w] = true; });

  /* --- words: mirrors search_index.py ------------------------------------------------ */

  function fold(text) {
    return text.normalize("NFKD").replace(/\p{Mn}/gu, "").toLowerCase();
  }

  function codePoints(word) {
    return word.length <= MAX_WORD ? word.length : Array.from(word).length;
  }

  function splitCompound(match) {
    var parts = match.replace(/['\u2019]/g, "").split(/[-.]/);
    if (parts.length > 1) parts.push(parts.join(""));
    return parts.filter(function (w) { return codePoints(w) <= MAX_WORD; });
  }

  function words(text) {
    var out = [];
    var matches = fold(text).match(new RegExp(WORD, "gu")) || [];
    matches.forEach(function (m) { out.push.apply(out, splitCompound(m)); });
    return out;
  }

  /* --- compact encodings: mirrors search.py -------------------------------------------- */

  function decodeInts(text) {
    var out = [], n = 0;
    for (var i = 0; i < text.length; i++) {
      var v = DIGIT[text.charCodeAt(i)];
      if (v >= 32) n = n * 32 + (v - 32);
      else { out.push(n * 32 + v); n = 0; }
    }
    return out;
  }

  function decodePosting(text) {
    var nums = decodeInts(text), docs = [], tfs = [], doc = -1;
    for (var i = 0; i < nums.length; i++) {
      doc += nums[i] >> 1;
      docs.push(doc);
      tfs.push(nums[i] & 1 ? nums[++i] : 1);
    }
    return { docs: docs, tfs: tfs };
  }

  function decodeWords(text) {
    var list = [], stemOf = new Map(), previous = "";
    (text ? text.split(" ") : []).forEach(function (entry) {
      var marker = 1;
      while (marker < entry.length && !/[A-Z]/.test(entry[marker])) marker++;
      var word = previous.slice(0, entry.charCodeAt(0) - 65) + entry.slice(1, marker);
      var stem = word;
      if (marker < entry.length) {
        stem = word.slice(0, word.length - (entry.charCodeAt(marker) - 65)) + entry.slice(marker + 1);
      }
      list.push(word);
      stemOf.set(word, stem);
      previous = word;
    });
    return { list: list, stemOf: stemOf };
  }

  /* --- the engine ---------------------------------------------------------------------- */

  function Engine(meta, lunr, load) {
    this.lunr = lunr;
    this.meta = meta;
    this.load = load; // name → Promise of a data file's payload
    this.fields = meta.fields.map(function (f) { return f[0]; });
    var vocab = decodeWords(meta.words);
    this.words = vocab.list;
    this.stemOf = vocab.stemOf;
    this.terms = Array.from(new Set(vocab.stemOf.values())).sort();
    if (this.terms.length !== meta.terms) throw new Error("search index: vocabulary does not match");
    this.termIndex = new Map(this.terms.map(function (t, i) { return [t, i]; }));
    this.lengths = decodeInts(meta.lengths);
    var nf = this.fields.length, n = meta.n;
    this.average = this.fields.map(function (_, f) {
      var sum = 0;
      for (var i = f; i < n * nf; i += nf) sum += this.lengths[i];
      return n ? sum / n : 0;
    }, this);
    this.docTags = [];
    var tagNums = decodeInts(meta.docTags);
    for (var i = 0, doc = 0; doc < n; doc++) {
      this.docTags.push(tagNums.slice(i + 1, i + 1 + tagNums[i]));
      i += 1 + tagNums[i];
    }
    this.tagId = new Map(meta.tags.map(function (t, i) { return [t[0], i]; }));
    this.shards = []; // shard number → decoded postings, once loaded
    this.loading = {};
    this.chunks = {};
    this.index = null;
    this.dimensions = 0; // vector dimensions handed out so far, one per loaded term
    this.vectors = this.fields.map(function () { return []; }); // per field, doc → lunr.Vector
  }

  Engine.prototype.data = function (name) {
    var v = this.meta.v;
    return this.load(name).then(function (payload) {
      if (!payload || payload.v !== v) throw new Error("The search index changed; reload the page.");
      return payload;
    });
  };

  Engine.prototype.stem = function (word) {
    if (this.stemOf.has(word)) return this.stemOf.get(word);
    return this.lunr.stemmer(new this.lunr.Token(word)).toString();
  };

  Engine.prototype.shardOf = function (term) {
    var t = this.termIndex.get(term), starts = this.meta.shards, lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= t) lo = mid; else hi = mid - 1;
    }
    return lo;
  };

  Engine.prototype.loadShard = function (n) {
    var self = this;
    if (!this.loading[n]) {
      this.loading[n] = this.data("t" + n).then(function (payload) { self.addShard(n, payload.p); });
    }
    return this.loading[n];
  };

  /* The lunr index, created with lunr.Index.load from an empty serialization and then
   * filled shard by shard. Its token set holds every term from the start: a query only
   * names terms whose shards search() has loaded first. */
  Engine.prototype.lunrIndex = function () {
    if (!this.index) {
      this.index = this.lunr.Index.load({
        version: this.lunr.version, fields: this.fields, fieldVectors: [], invertedIndex: [], pipeline: ["stemmer"]
      });
      this.index.tokenSet = this.lunr.TokenSet.fromArray(this.terms);
    }
    return this.index;
  };

  /* Merge one shard's postings into the index: lunr's inverted-index entries, and the
   * field-vector elements scored exactly as lunr.Builder#createFieldVectors scores them.
   * A term's vector dimension (`_index`) is numbered in loading order, not alphabetically,
   * so a new shard's elements always go at the end of each vector (which must stay sorted):
   * loading stays linear however many shards arrive. */
  Engine.prototype.addShard = function (n, text) {
    var index = this.lunrIndex(), start = this.meta.shards[n], entries = text.split(";");
    var k1 = this.meta.k1, b = this.meta.b, N = this.meta.n, nf = this.fields.length;
    for (var j = 0; j < entries.length && start + j < this.terms.length; j++) {
      var dimension = this.dimensions++, posting = { _index: dimension };
      var fields = entries[j].split(",").map(decodePosting);
      var withTerm = fields.reduce(function (s, p) { return s + p.docs.length; }, 0);
      var x = (N - withTerm + 0.5) / (withTerm + 0.5), idf = Math.log(1 + Math.abs(x));
      for (var f = 0; f < nf; f++) {
        var name = this.fields[f], boost = this.meta.fields[f][1], avg = this.average[f];
        var refs = {}, vectors = this.vectors[f];
        for (var i = 0; i < fields[f].docs.length; i++) {
          var doc = fields[f].docs[i], tf = fields[f].tfs[i], length = this.lengths[doc * nf + f];
          var score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / avg)) + tf);
          score *= boost;
          refs[doc] = NO_METADATA;
          var vector = vectors[doc];
          if (!vector) vector = vectors[doc] = index.fieldVectors[name + "/" + doc] = new this.lunr.Vector([]);
          vector.elements.push(dimension, Math.round(score * 1000) / 1000);
        }
        posting[name] = refs;
      }
      index.invertedIndex[this.terms[start + j]] = posting;
    }
    this.shards[n] = true;
  };

  /* --- queries ------------------------------------------------------------------------- */

  /* The query as groups of alternative terms, one group per word, each term with a boost.
   * A compound (`gpt-4`) is one group: its joined form, or failing that its parts. */
  Engine.prototype.plan = function (query) {
    var self = this, seen = {}, groups = [];
    var matches = fold(query).match(new RegExp(WORD, "gu")) || [];
    var open = /[\p{L}\p{N}]$/u.test(query); // the reader may still be typing the last word
    matches.forEach(function (match, i) {
      var list = splitCompound(match), word = list.pop();
      if (!word || seen[word]) return;
      seen[word] = true;
      var last = open && i === matches.length - 1, stop = STOP[word] === true;
      if (stop && !last) return;
      var group = { word: word, required: !stop, terms: new Map(), main: new Set(), parts: [] };
      var add = function (term, boost) {
        if (!self.termIndex.has(term)) return;
        if (boost !== BOOST.part) group.main.add(term);
        if (!(group.terms.get(term) >= boost)) group.terms.set(term, boost);
      };
      var known = self.stemOf.has(word);
      if (!stop) add(self.stem(word), BOOST.exact);
      list.forEach(function (part) {
        if (STOP[part]) return;
        group.parts.push(self.stem(part));
        add(self.stem(part), BOOST.part);
      });
      if (last || !known) self.completions(word).forEach(function (w) { add(self.stemOf.get(w), BOOST.prefix); });
      if (!known && !stop && codePoints(word) >= FUZZY_MIN && !/^\d+$/.test(word)) {
        self.oneEditAway(word).forEach(function (w) { add(self.stemOf.get(w), BOOST.fuzzy); });
      }
      groups.push(group);
    });
    return groups;
  };

  /* Indexed words starting with `prefix`, the shortest PREFIX_LIMIT of them. */
  Engine.prototype.completions = function (prefix) {
    var list = this.words, lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    var found = [];
    for (var i = lo; i < list.length && list[i].lastIndexOf(prefix, 0) === 0; i++) {
      if (list[i] !== prefix) found.push(list[i]);
    }
    found.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); });
    return found.slice(0, PREFIX_LIMIT);
  };

  /* Indexed words one edit (insert, delete, substitute, transpose) away from `word`. */
  Engine.prototype.oneEditAway = function (word) {
    if (!this.alphabet) {
      var chars = new Set();
      this.words.forEach(function (w) { for (var c of w) chars.add(c); });
      this.alphabet = Array.from(chars);
    }
    var out = new Set(), chars = Array.from(word), alphabet = this.alphabet, stemOf = this.stemOf;
    var keep = function (cand) { if (stemOf.has(cand)) out.add(cand); };
    for (var i = 0; i <= chars.length; i++) {
      var head = chars.slice(0, i).join(""), tail = chars.slice(i).join("");
      if (i < chars.length) keep(head + chars.slice(i + 1).join(""));
      if (i < chars.length - 1) keep(head + chars[i + 1] + chars[i] + chars.slice(i + 2).join(""));
      for (var a = 0; a < alphabet.length; a++) {
        keep(head + alphabet[a] + tail);
        if (i < chars.length) keep(head + alphabet[a] + chars.slice(i + 1).join(""));
      }
    }
    out.delete(word);
    return Array.from(out);
  };

  /* Ranked doc ids for a query (and an optional tag), loading the shards it needs.
   * Papers matching every word come first, then by lunr's score, then newest first. */
  Engine.prototype.search = function (query, tag) {
    var self = this, groups = this.plan(query), needed = new Set();
    groups.forEach(function (g) { g.terms.forEach(function (_, term) { needed.add(self.shardOf(term)); }); });
    return Promise.all(Array.from(needed).map(function (n) { return self.loadShard(n); })).then(function () {
      return self.rank(groups, tag);
    });
  };

  Engine.prototype.rank = function (groups, tag) {
    var tagId = tag ? this.tagId.get(tag) : undefined, docTags = this.docTags;
    var hasTag = function (doc) { return tagId === undefined ? !tag : docTags[doc].indexOf(tagId) >= 0; };
    var clauses = [];
    groups.forEach(function (g) { g.terms.forEach(function (boost, term) { clauses.push([term, boost]); }); });
    var result = { ids: [], groups: groups, matched: new Set(), complete: 0 };
    if (!clauses.length) {
      if (!groups.length && tag) for (var doc = 0; doc < this.meta.n; doc++) if (hasTag(doc)) result.ids.push(doc);
      return result;
    }
    var hits = this.lunrIndex().query(function (q) {
      clauses.forEach(function (c) { q.term(c[0], { boost: c[1], usePipeline: false }); });
    });
    var required = groups.filter(function (g) { return g.required; });
    var ranked = hits.map(function (hit) {
      var terms = Object.keys(hit.matchData.metadata);
      terms.forEach(function (t) { result.matched.add(t); });
      var covered = required.filter(function (g) { return covers(g, terms); });
      return { id: Number(hit.ref), score: hit.score, covered: covered.length };
    }).filter(function (r) { return hasTag(r.id); });
    ranked.sort(function (a, b) { return b.covered - a.covered || b.score - a.score || a.id - b.id; });
    result.ids = ranked.map(function (r) { return r.id; });
    result.complete = ranked.filter(function (r) { return r.covered === required.length; }).length;
    return result;
  };

  /* Does a paper whose matched terms are `terms` have this word? A compound counts when its
   * joined form (or a completion or near miss of it) matched, or every one of its parts. */
  function covers(group, terms) {
    if (terms.some(function (t) { return group.main.has(t); })) return true;
    return group.parts.length > 0 && group.parts.every(function (p) { return terms.indexOf(p) >= 0; });
  }

  /* Path, title, abstract and tags of papers, loading their chunks. */
  Engine.prototype.docs = function (ids) {
    var self = this, size = this.meta.chunk;
    var chunks = Array.from(new Set(ids.map(function (id) { return Math.floor(id / size); })));
    return Promise.all(chunks.map(function (c) {
      if (!self.chunks[c]) self.chunks[c] = self.data("d" + c).then(function (p) { return p.d; });
      return self.chunks[c];
    })).then(function () {
      return Promise.all(ids.map(function (id) { return self.chunks[Math.floor(id / size)]; }));
    }).then(function (loaded) {
      return ids.map(function (id, i) {
        var row = loaded[i][id % size], tags = self.meta.tags;
        return { id: id, path: row[0], title: row[1], text: row[2],
                 tags: self.docTags[id].map(function (t) { return { name: tags[t][0], title: tags[t][1] }; }) };
      });
    });
  };

  /* --- presenting results -------------------------------------------------------------- */

  /* `text` cut into [segment, isMatch] pairs: words whose terms were matched are marked. */
  Engine.prototype.marks = function (text, matched) {
    var re = new RegExp(WORD, "gu"), out = [], last = 0, m, self = this;
    while ((m = re.exec(text))) {
      var hit = splitCompound(fold(m[0])).some(function (w) { return matched.has(self.stem(w)); });
      if (!hit) continue;
      if (m.index > last) out.push([text.slice(last, m.index), false]);
      out.push([m[0], true]);
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push([text.slice(last), false]);
    return out;
  };

  /* About `size` words of `text` around its densest run of matches, as marks(). */
  Engine.prototype.snippet = function (text, matched, size) {
    var re = new RegExp(WORD, "gu"), spans = [], m, self = this;
    while ((m = re.exec(text))) {
      var hit = splitCompound(fold(m[0])).some(function (w) { return matched.has(self.stem(w)); });
      spans.push([m.index, m.index + m[0].length, hit ? 1 : 0]);
    }
    if (spans.length <= size) return this.marks(text, matched);
    var best = 0, bestScore = -1, score = 0;
    for (var i = 0; i < spans.length; i++) {
      score += spans[i][2] - (i >= size ? spans[i - size][2] : 0);
      if (i >= size - 1 && score > bestScore) { bestScore = score; best = i - size + 1; }
    }
    // Keep every match of the best window, with a few words of context before the first.
    var first = best, last = best + size - 1;
    while (first < last && !spans[first][2]) first++;
    while (last > first && !spans[last][2]) last--;
    var slack = size - (last - first + 1);
    var start = Math.max(0, Math.min(first - Math.min(4, slack), spans.length - size));
    var end = Math.min(spans.length, start + size);
    var from = start === 0 ? 0 : spans[start][0], to = end === spans.length ? text.length : spans[end - 1][1];
    var out = this.marks(text.slice(from, to), matched);
    if (from > 0) out.unshift(["\u2026 ", false]);
    if (to < text.length) out.push([" \u2026", false]);
    return out;
  };

  /* The query with unknown words replaced by the closest indexed word (at most two edits
   * away, same first letter, shorter words first), or null when there is none. */
  Engine.prototype.suggest = function (query) {
    var self = this, changed = false;
    var fixed = words(query).map(function (word) {
      if (self.stemOf.has(word) || STOP[word] || codePoints(word) < 3) return word;
      var best = null, bestDistance = 2;
      self.words.forEach(function (w) {
        if (w[0] !== word[0] || Math.abs(w.length - word.length) > bestDistance) return;
        var dist = distance(word, w, bestDistance);
        if (dist < bestDistance || (dist === bestDistance && (!best || w.length < best.length))) {
          best = w;
          bestDistance = dist;
        }
      });
      if (best) { changed = true; return best; }
      return word;
    });
    return changed ? fixed.join(" ") : null;
  };

  /* Levenshtein distance of a and b, or max + 1 as soon as it must exceed max. */
  function distance(a, b, max) {
    var prev = [], cur, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var rowMin = i;
      for (j = 1; j <= b.length; j++) {
        cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > max) return max + 1;
      prev = cur;
    }
    return Math.min(prev[b.length], max + 1);
  }

  var api = { Engine: Engine, words: words, fold: fold, decodeInts: decodeInts, decodeWords: decodeWords };
  if (typeof module === "object" && module.exports) module.exports = api;
  else global.SiteSearch = api;
})(typeof window !== "undefined" ? window : this);
