/* Site search engine: the files site_builder/build/search/assets.py writes → ranked papers.
 *
 * No DOM here: search.js (the page UI) loads this in the browser, and the tests and
 * bench/search_quality.py run it under Node. Words are analysed exactly as
 * site_builder/build/search/index.py does (keep the two in step). The postings are lunr's (a
 * lunr index can be made from them: tests/js/search_node.js does), but queries are ranked
 * here, not by lunr.Index#query: lunr has no phrases, no field-limited exclusion, no
 * alternatives made of several words (a synonym, a split compound), and building its
 * vectors cost most of a warm query's time at 10,000 papers.
 */
(function (global) {
  "use strict";

  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var DIGIT = [];
  for (var d = 0; d < DIGITS.length; d++) DIGIT[DIGITS.charCodeAt(d)] = d;
  var WORD = "[\\p{L}\\p{N}]+(?:[-.'\u2019][\\p{L}\\p{N}]+)*";
  var MAX_WORD = 40;
  // Term boosts within a query word. A word the index does not know stands for the words it
  // is one typo from, or (being typed) the words it begins: those then get `guess`, shared
  // out by how many papers use each, so the common word wins; they never compete with an
  // exact match, which a known word has.
  var BOOST = { exact: 10, root: 6, guess: 8, prefix: 2 };
  var PREFIX_LIMIT = 30; // completions considered for a word being typed
  // Shorter beginnings match too much to rank, and their completions are spread over many
  // term shards: searching `s` would download most of the index.
  var PREFIX_MIN = 3;
  var ROOT_LIMIT = 60; // words looked at for sharing a root
  var FUZZY_MIN = 5; // words this long tolerate one typo
  // Words this long also find the stems of spellings one typo away (`oneEditAway`): shorter
  // unknown words are mostly names (`claude`, `gemma`), whose near spellings stem to other
  // words (cloud, GEMM).
  var STEM_FUZZY_MIN = 9;
  var PARTIAL = 0.5; // an alternative matched in part counts this much (the words as typed;
  // one the engine derived, `whole`: a synonym spelled out, a compound's parts, counts only
  // whole: `RLHF` must not find every paper that says "human")
  var PHRASE_CHECK = 200; // candidates whose text is read to check a "phrase", at most
  var PHRASE_BATCH = 40; // read this many at a time, best first ...
  var PHRASE_ENOUGH = 20; // ... until this many hold the phrase (two pages of results)
  // British and American spellings of one word, each way (behaviour and behavior, optimise
  // and optimize, modelling and modeling, analyse, centre, dialogue, licence, programme):
  // a spelling the index holds stands for the word typed.
  var SPELLINGS = [["our", "or"], ["is", "iz"], ["ys", "yz"], ["tre", "ter"], ["ll", "l"],
    ["ogue", "og"], ["ence", "ense"], ["mme", "m"]];
  var NEAR_CHECK = 10; // best results re-ranked by how many of the query's word pairs they hold
  var DAY_MS = 864e5; // days are counted from 1970-01-01, as the search files count them
  // Words are keys of Maps and Sets only: a plain object would "know" constructor or __proto__.
  var STOP = new Set();
  ("a able about across after all almost also am among an and any are as at be because been " +
   "but by can cannot could dear did do does either else ever every for from get got had has " +
   "have he her hers him his how however i if in into is it its just least let like likely may " +
   "me might most must my neither no nor not of off often on only or other our own rather said " +
   "say says she should since so some than that the their them then there these they this tis " +
   "to too twas us wants was we were what when where which while who whom why will with would " +
   "yet you your").split(" ").forEach(function (w) { STOP.add(w); });

  /* --- words: mirrors search/index.py ------------------------------------------------ */

  /* Letters written otherwise in ASCII, as search/index.py folds them (core/text.py
   * `SPELLED_LETTERS`): `Łódź` is `lodz`, `Straße` `strasse`. */
  var SPELLED = { "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th" };
  "łŁøØđĐðÐıħĦŋŊ".split("").forEach(function (c, i) { SPELLED[c] = "lLoOdDdDihHnN".charAt(i); });
  // Arabic and Persian letters written for one another (core/text.py `_SAME_LETTERS`), read
  // after NFKD, which makes a PDF's presentation forms letters.
  var SAME = { "\u06cc": "\u064a", "\u0649": "\u064a", "\u06a9": "\u0643", "\u0629": "\u0647" };
  var SAME_RE = /[\u06cc\u0649\u06a9\u0629]/g;
  var SPELLED_RE = new RegExp("[" + Object.keys(SPELLED).join("") + "]", "g");

  function fold(text) {
    return text.replace(SPELLED_RE, function (c) { return SPELLED[c]; })
      .normalize("NFKD").replace(SAME_RE, function (c) { return SAME[c]; })
      .replace(/(?![\u3099\u309a])\p{Mn}/gu, "").normalize("NFC").toLowerCase();
  }

  /* A run of Chinese, Japanese or Korean letters is read as its overlapping pairs of letters
   * (mirrors core/text.py `pieces`, the same class): `大模型推理` is 大模 模型 型推 推理. */
  var CJK = "\\u3005-\\u3007\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uac00-\\ud7af\\u{20000}-\\u{2fa1f}";
  var CJK_TEST = new RegExp("[" + CJK + "]", "u"), CJK_RUN = new RegExp("([" + CJK + "]+)", "u");

  /* Arabic's article and the conjunctions before it (mirrors core/text.py `arabic_light`). */
  var ARABIC_PREFIXES = ["\u0648\u0627\u0644", "\u0628\u0627\u0644", "\u0643\u0627\u0644", "\u0641\u0627\u0644",
    "\u0644\u0644", "\u0627\u0644"];
  var ARABIC = /^[\u0621-\u064a]/;

  function arabicLight(word) {
    for (var i = 0; i < ARABIC_PREFIXES.length; i++) {
      var prefix = ARABIC_PREFIXES[i];
      if (word.indexOf(prefix) === 0 && word.length - prefix.length >= 2) {
        return word.slice(prefix.length);
      }
    }
    return word;
  }

  /* A run of CJK letters (by code points: an ideograph past U+FFFF is two UTF-16 units) as
   * its overlapping pairs, one letter alone as itself (core/text.py `letter_pairs`). */
  function letterPairs(letters) {
    var out = [];
    for (var i = 0; i < Math.max(1, letters.length - 1); i++) out.push(letters.slice(i, i + 2).join(""));
    return out;
  }

  function pieces(match) {
    if (!CJK_TEST.test(match)) return [ARABIC.test(match) ? arabicLight(match) : match];
    var out = [];
    match.split(CJK_RUN).forEach(function (part, n) {
      if (n % 2) {
        out.push.apply(out, letterPairs(Array.from(part)));
      } else if ((part = part.replace(/^[-.'\u2019]+|[-.'\u2019]+$/g, ""))) {
        out.push(part);
      }
    });
    return out;
  }

  function isCjkLetter(word) { // (codePoints counts UTF-16 units in a short word: 𠮷 is two)
    return Array.from(word).length === 1 && CJK_TEST.test(word);
  }

  /* The pieces of every word `fold(text)` holds, in order. */
  function foldedPieces(text) {
    var out = [];
    (fold(text).match(new RegExp(WORD, "gu")) || []).forEach(function (m) { out.push.apply(out, pieces(m)); });
    return out;
  }

  function codePoints(word) {
    return word.length <= MAX_WORD ? word.length : Array.from(word).length;
  }

  /* `text-to-SQL` → text, to, sql: the words a compound joins, without the joined form
   * (`O'Brien` → o, brien: a one-letter elision before a word joins like a hyphen, as
   * index.py `_ELISION` reads it; not I'm or M's). */
  var ELISION = /(^|[-.])([\p{L}\p{Nl}\p{No}])['\u2019](?=[\p{L}\p{Nl}\p{No}]{3})/gu;
  function compoundParts(match) {
    return match.replace(ELISION, "$1$2-").replace(/['\u2019]/g, "").split(/[-.]/);
  }

  function splitCompound(match) {
    var parts = compoundParts(match);
    if (parts.length > 1) parts.push(parts.join(""));
    return parts.filter(function (w) { return codePoints(w) <= MAX_WORD; });
  }

  function words(text) {
    var out = [];
    foldedPieces(text).forEach(function (m) { out.push.apply(out, splitCompound(m)); });
    return out;
  }

  /* --- compact encodings: mirrors search/postings.py `varints`, search/words.py `front_coded` */

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
      var marker = 1, code; // the stem's marker: the next capital letter (A-Z), if any
      while (marker < entry.length && ((code = entry.charCodeAt(marker)) < 65 || code > 90)) marker++;
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

  function Engine(meta, load, stemmer) {
    this.meta = meta;
    this.stemmer = stemmer || null; // word → term for words the index does not hold (lunr's)
    this.load = load; // (name, version) → Promise of a data file's payload
    this.fields = meta.fields.map(function (f) { return f[0]; });
    this.boosts = meta.fields.map(function (f) { return f[1]; });
    // The word list comes in word shards (Words), loaded for the words a query consults
    // (`prepare`); stemOf and termIndex answer from the shards loaded.
    var vocab = this.vocab = new Words(meta);
    this.stemOf = { has: function (w) { return vocab.has(w); }, get: function (w) { return vocab.get(w); } };
    this.termIndex = { has: function (t) { return vocab.isTerm(t); }, get: function (t) { return vocab.termNumber(t); } };
    // The words lunr.js stems otherwise than the index did (`try`): every other indexed
    // word's stem is lunr.js's, so a paper's text is stemmed without the word list.
    this.exceptions = decodeWords(meta.stems || "").stemOf;
    this.alphabet = Array.from(meta.alphabet || "");
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
    this.tagId = new Map();
    meta.tags.forEach(function (t, i) {
      this.tagId.set(t[0], i);
      this.tagId.set(fold(t[1]), i);
    }, this);
    (meta.moved || []).forEach(function (pair) { // a tag's earlier name: [alias, name]
      var id = this.tagId.get(pair[1]);
      if (id !== undefined) { this.tagId.set(pair[0], id); this.tagId.set(fold(pair[0]), id); }
    }, this);
    // A word of one tag's title alone (`tag:rag` for "Retrieval & RAG", `tag:serving`), the
    // way its chips read: found nothing, not even a suggestion.
    var titleWords = new Map();
    meta.tags.forEach(function (t, i) {
      new Set(words(t[1])).forEach(function (w) { titleWords.set(w, titleWords.has(w) ? -1 : i); });
    });
    titleWords.forEach(function (id, w) { if (id >= 0 && !STOP.has(w) && !this.tagId.has(w)) this.tagId.set(w, id); }, this);
    this.days = decodeDays(meta.days || "", n); // doc → days since 1970-01-01, or -1
    this.earlier = decodeEarlier(meta.earlier || "", this.days); // doc → its other listing days
    this.synonyms = (meta.synonyms || []).map(function (group) {
      return group.map(function (alt) { return alt.split(" "); });
    });
    this.shards = []; // shard number → true once its postings are in `raw`
    this.raw = []; // shard number → its terms' postings, still encoded (decoded when asked for)
    this.postings = new Map(); // term → per field {docs, tfs}
    this.dfs = new Map(); // term in several fields → documents having it (see df)
    this.scored = new Map(); // term → per field {docs, scores}: BM25 × field boost
    this.loading = new Map();
    this.wordLoading = new Map();
    this.chunks = new Map();
  }

  /* --- the word list, in shards -------------------------------------------------------- */

  /* Word shard i holds the indexed words w with wordShards[i] <= w < wordShards[i + 1]
   * (search/words.py `word_files`; no shards: `words`, the whole list, is in the entry point),
   * with their stems, and decides which terms lie in that range:
   * the stems of its words there and the others it lists (`x`), numbered from
   * wordTerms[i]. A question about a word or term whose shard is not loaded throws, or,
   * while `wanted` is a Set (Engine#prepare), notes the shard and answers "no". */
  function Words(meta) {
    var inline = !meta.wordShards.length; // a small word list: one shard, in the entry point
    this.bounds = inline ? [""] : meta.wordShards;
    this.bases = (inline ? [0] : meta.wordTerms).concat([meta.terms]);
    this.lists = []; // shard → its words, sorted
    this.homed = []; // shard → Map of the terms in its range → their numbers
    this.stemOf = new Map(); // every loaded word → its stem
    this.stems = new Set(); // every loaded word's stem (each one a term)
    this.wanted = null;
    this.loaded = 0; // shards in `lists`
    if (inline) this.add(0, meta.words);
  }

  /* The shard whose range holds `text`. */
  Words.prototype.home = function (text) {
    var lo = 0, hi = this.bounds.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (this.bounds[mid] <= text) lo = mid; else hi = mid - 1;
    }
    return lo;
  };

  Words.prototype.ready = function (i) {
    if (this.lists[i]) return true;
    if (this.wanted) { this.wanted.add(i); return false; }
    throw new Error("search: word shard " + i + " is needed but not loaded");
  };

  Words.prototype.has = function (word) { return this.ready(this.home(word)) && this.stemOf.has(word); };
  Words.prototype.get = function (word) { return this.ready(this.home(word)) ? this.stemOf.get(word) : undefined; };

  Words.prototype.isTerm = function (term) {
    if (this.stems.has(term)) return true;
    var i = this.home(term);
    return this.ready(i) && this.homed[i].has(term);
  };

  Words.prototype.termNumber = function (term) {
    var i = this.home(term);
    return this.ready(i) ? this.homed[i].get(term) : undefined;
  };

  /* The shards that may hold words beginning with `prefix` (first and last). */
  Words.prototype.range = function (prefix) {
    var last = prefix.charCodeAt(prefix.length - 1), lo = this.home(prefix), hi = this.bounds.length - 1;
    if (prefix && last < 0xffff) hi = this.home(prefix.slice(0, -1) + String.fromCharCode(last + 1));
    return [lo, hi];
  };

  /* The indexed words beginning with `prefix`, in order. */
  Words.prototype.prefixed = function (prefix) {
    var r = this.range(prefix), ok = true, out = [];
    for (var i = r[0]; i <= r[1]; i++) ok = this.ready(i) && ok;
    if (!ok) return out;
    for (i = r[0]; i <= r[1]; i++) {
      var list = this.lists[i], lo = 0, hi = list.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (list[mid] < prefix) lo = mid + 1; else hi = mid;
      }
      for (var j = lo; j < list.length && list[j].lastIndexOf(prefix, 0) === 0; j++) out.push(list[j]);
    }
    return out;
  };

  Words.prototype.add = function (i, payload) {
    if (this.lists[i]) return;
    var decoded = decodeWords(payload.w), self = this, terms = new Set(), first = !this.stemOf.size;
    if (first) this.stemOf = decoded.stemOf; // the first shard (or the whole list): its map serves
    var one = this.bounds.length === 1;
    decoded.stemOf.forEach(function (stem, word) {
      if (!first) self.stemOf.set(word, stem);
      self.stems.add(stem);
      if (one || self.home(stem) === i) terms.add(stem);
    });
    if (payload.x) payload.x.split(" ").forEach(function (t) { terms.add(t); });
    var sorted = Array.from(terms).sort(), base = this.bases[i];
    if (sorted.length !== this.bases[i + 1] - base) throw new Error("search index: vocabulary does not match");
    this.homed[i] = new Map(sorted.map(function (t, k) { return [t, base + k]; }));
    this.lists[i] = decoded.list;
    this.loaded += 1;
  };

  /* Run `plan` noting the word shards it needs and lacks (its answers are then wrong). */
  Words.prototype.lacking = function (plan) {
    var wanted = this.wanted = new Set();
    try {
      plan();
    } catch (err) {
      if (!wanted.size) throw err; // a question no shard answers: a fault, not a missing shard
    } finally {
      this.wanted = null;
    }
    return Array.from(wanted);
  };

  /* Days since 1970-01-01 per doc, from the newest-first gaps search/assets.py writes (0 = undated). */
  function decodeDays(text, n) {
    var gaps = decodeInts(text), out = [], value = 0;
    for (var i = 0; i < n; i++) {
      value = i === 0 ? gaps[0] || 0 : value - (gaps[i] || 0);
      out.push(value - 1);
    }
    return out;
  }

  /* The other listing days of papers listed on several (search/assets.py `_earlier_days`). */
  function decodeEarlier(text, days) {
    var runs = decodeInts(text), out = new Map(), doc = 0;
    for (var i = 0; i < runs.length; ) {
      doc += runs[i];
      var count = runs[i + 1], day = days[doc], list = [];
      for (var j = 0; j < count; j++) { day -= runs[i + 2 + j]; list.push(day); }
      out.set(doc, list);
      i += 2 + count;
    }
    return out;
  }

  /* A data file's version as the index lists it: the term shards' versions, then the
   * chunks', then the word shards'; the slug shards' and author shards' apart (`slugVersions`,
   * `authorVersions`). */
  Engine.prototype.version = function (name) {
    var shards = this.meta.shards.length, chunks = Math.ceil(this.meta.n / this.meta.chunk);
    var size = this.meta.versions.length / (shards + chunks + this.meta.wordShards.length);
    var n = Number(name.slice(1));
    if (name[0] === "s") return (this.meta.slugVersions || "").slice(n * size, (n + 1) * size);
    if (name[0] === "a") return (this.meta.authorVersions || "").slice(n * size, (n + 1) * size);
    n += name[0] === "d" ? shards : name[0] === "w" ? shards + chunks : 0;
    return this.meta.versions.slice(n * size, (n + 1) * size);
  };

  /* A data file, asked for under its version (`load` puts it in the address, so a browser's
   * cache holds each version apart). Another version than the entry point lists means the
   * entry point is older than the site: the caller loads it again (`stale`) and retries. */
  Engine.prototype.data = function (name) {
    var v = this.version(name);
    return this.load(name, v).then(function (payload) {
      if (!payload || payload.v !== v) throw staleIndex();
      return payload;
    });
  };

  /* What data() throws for a file of another version than the entry point lists. */
  function staleIndex() {
    var error = new Error("The search index changed; reload the page.");
    error.stale = true;
    return error;
  }

  /* A word's term: the index's own stem when the corpus has the word (lunr.py and lunr.js
   * stem a few words differently: those are listed), else the stemmer's, else the word
   * itself. No word shard is needed. */
  Engine.prototype.stem = function (word) {
    if (this.exceptions.has(word)) return this.exceptions.get(word);
    if (this.stemmer) return this.stemmer(word);
    return this.vocab.stemOf.has(word) ? this.vocab.stemOf.get(word) : word;
  };

  Engine.prototype.shardOf = function (term) {
    return this.shardOfNumber(this.termIndex.get(term));
  };

  Engine.prototype.shardOfNumber = function (t) {
    var starts = this.meta.shards, lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= t) lo = mid; else hi = mid - 1;
    }
    return lo;
  };

  Engine.prototype.loadShard = function (n) {
    var self = this;
    if (!this.loading.has(n)) {
      var loading = this.data("t" + n).then(function (payload) { self.addShard(n, payload.p); });
      loading.catch(function () { self.loading.delete(n); }); // a failed load is tried again
      this.loading.set(n, loading);
    }
    return this.loading.get(n);
  };

  /* One shard's postings, kept encoded: a term's are decoded when first asked for. */
  Engine.prototype.addShard = function (n, text) {
    this.raw[n] = text.split(";");
    this.shards[n] = true;
  };

  /* A term's postings: per field, the docs and their term frequencies (undefined if the
   * index lacks the term or its shard is not loaded). */
  Engine.prototype.postingsOf = function (term) {
    if (!this.postings.has(term)) {
      var t = this.termIndex.get(term), n = t === undefined ? -1 : this.shardOfNumber(t);
      var entries = this.raw[n];
      if (!entries || t - this.meta.shards[n] >= entries.length) return undefined;
      this.postings.set(term, entries[t - this.meta.shards[n]].split(",").map(decodePosting));
    }
    return this.postings.get(term);
  };

  Engine.prototype.loadWords = function (i) {
    var self = this;
    if (!this.wordLoading.has(i)) {
      var loading = this.data("w" + i).then(function (payload) { self.vocab.add(i, payload); });
      loading.catch(function () { self.wordLoading.delete(i); }); // a failed load is tried again
      this.wordLoading.set(i, loading);
    }
    return this.wordLoading.get(i);
  };

  /* Load the word shards that planning `query` consults, before it is planned: the
   * shards of its words and of the words the typed one begins, then, round by round,
   * whatever the plan asked for and lacked (the second half of a split compound, typo
   * guesses, another spelling, a term's own shard, and what `also(plan)` asks). Every
   * answer of the plan is then the one the whole word list gives. */
  Engine.prototype.prepare = function (query, options, also, isStale) {
    var self = this, vocab = this.vocab, first = new Set();
    if (vocab.loaded === vocab.bounds.length) return Promise.resolve(); // the whole list is here
    parse(query).parts.forEach(function (part) {
      self.queryWords(part.text, part.open).forEach(function (w) {
        [w.word].concat(w.parts).forEach(function (x) { first.add(vocab.home(x)); });
        if (w.open && codePoints(w.word) >= PREFIX_MIN) {
          var r = vocab.range(w.word);
          for (var i = r[0]; i <= r[1]; i++) first.add(i);
        }
      });
    });
    var load = function (shards) {
      shards = shards.filter(function (i) { return !vocab.lists[i]; });
      if (!shards.length || (isStale && isStale())) return null;
      return Promise.all(shards.map(function (i) { return self.loadWords(i); }));
    };
    var round = function () {
      var lacking = vocab.lacking(function () {
        var plan = self.plan(query, options);
        self.planTerms(plan).forEach(function (_, term) { self.termIndex.get(term); });
        if (also) also(plan);
      });
      var loading = load(lacking);
      return loading ? loading.then(round) : Promise.resolve();
    };
    var loading = load(Array.from(first));
    return loading ? loading.then(round) : round();
  };

  /* Documents having a term in any field (remembered: postings never change once loaded,
   * and typo guesses ask for the same terms on every keystroke). */
  Engine.prototype.df = function (term) {
    var fields = this.postingsOf(term);
    if (!fields) return 0;
    if (fields.length === 1) return fields[0].docs.length;
    var known = this.dfs.get(term);
    if (known !== undefined) return known;
    var seen = new Set();
    fields.forEach(function (p) { p.docs.forEach(function (d) { seen.add(d); }); });
    this.dfs.set(term, seen.size);
    return seen.size;
  };

  /* Per field, the docs with the term and their BM25 scores times the field's boost
   * (lunr's formula and parameters), computed once per term. */
  Engine.prototype.termScores = function (term) {
    if (this.scored.has(term)) return this.scored.get(term);
    var fields = this.postingsOf(term) || [];
    var k1 = this.meta.k1, b = this.meta.b, N = this.meta.n, nf = this.fields.length;
    var withTerm = this.df(term);
    var x = (N - withTerm + 0.5) / (withTerm + 0.5), idf = Math.log(1 + Math.abs(x));
    var out = fields.map(function (p, f) {
      var avg = this.average[f], boost = this.boosts[f], scores = new Float64Array(p.docs.length);
      for (var i = 0; i < p.docs.length; i++) {
        var length = this.lengths[p.docs[i] * nf + f], tf = p.tfs[i];
        scores[i] = boost * idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / (avg || 1))) + tf);
      }
      return { docs: p.docs, scores: scores };
    }, this);
    this.scored.set(term, out);
    return out;
  };

  /* --- queries: syntax ----------------------------------------------------------------- */

  var FIELD_NAMES = new Map([["title", 0], ["abstract", 1], ["body", 1], ["text", 1], ["tags", 2]]);
  var FILTERS = new Set(["tag", "after", "before"]);
  var TOKEN = /(-|\+)?(?:([A-Za-z]+):)?(?:"([^"]*)("?)|(\S+))/g;
  var PARTIAL_DATE = /^(?:\d{0,3}|\d{4}-?|\d{4}-\d{2}-)$/; // typing towards 2025-03-14

  /* An arXiv id as readers paste it (`arXiv:2401.12345v2`, its arxiv.org or Hugging Face
   * address) read as the id alone, unversioned, as search/arxiv.py `arxiv_word` indexes it:
   * `2401.12345`, a compound whose joined form is the word of the paper's `arxiv` field (an
   * old-style `cs/0112017` loses its slash). A bare id without a version is one already.
   * The old-style id's word has letters (`hepth9901001`), yet is no word to mend: an id one
   * digit off is another paper (`ARXIV_WORD`: no typo guesses, no "Did you mean"). */
  var ARXIV_QUERY = /(?:(?:https?:\/\/)?(?:www\.|export\.)?(?:arxiv\.org\/(?:abs|pdf|html)|huggingface\.co\/papers)\/|\barxiv:\s*)(\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?\/\d{7})(?:v\d+)?(?:\.pdf)?\/?(?![\w/])|\b(\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?\/\d{7})v\d+(?![\w/])/gi;

  var ARXIV_WORD = /^[a-z]+\d{7}$/;
  var ARXIV_ID = /^\d{4}\.\d{4,5}$/; // a new-style id as a query's compound holds it

  function arxivQuery(query) {
    return query.replace(ARXIV_QUERY, function (_, id, bare) { return (id || bare).replace("/", ""); });
  }

  /* The query's syntax: words and "phrases" (each maybe -excluded or field:-limited), and
   * the filters tag:name, after:2025-01 and before:2025-03. */
  function parse(query) {
    var out = { parts: [], tags: [], notTags: [], after: null, before: null, ignored: [] }, m;
    query = arxivQuery(query);
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(query))) {
      var sign = m[1] || "", key = (m[2] || "").toLowerCase(), quoted = m[3] !== undefined;
      var text = quoted ? m[3] : m[5];
      // `title:` or `tag:` with nothing after it (yet): no word ("title:" found "titled").
      var bare = !key && !quoted && /^[A-Za-z]+:$/.test(text) ? text.slice(0, -1).toLowerCase() : "";
      if (bare && (FIELD_NAMES.has(bare) || FILTERS.has(bare))) continue;
      // `-tag:survey` leaves the tag out, `-after:2026-04` is `before:2026-04` (and the
      // reverse): the minus was dropped, and the filter kept what the reader wanted gone.
      if (key === "tag" && text) { (sign === "-" ? out.notTags : out.tags).push(text); continue; }
      if (key === "after" || key === "before") {
        // Not a date (`after:2026-13`): left out and named, not searched as the words
        // `after 2026 13`; the start of one still being typed at the end, quietly.
        var typing = m.index + m[0].length === query.length && PARTIAL_DATE.test(text || "");
        if (period(text)) out[sign === "-" ? (key === "after" ? "before" : "after") : key] = text;
        else if (!typing) out.ignored.push(m[0]);
        continue;
      }
      var field = FIELD_NAMES.has(key) ? FIELD_NAMES.get(key) : null;
      if (key && field === null) text = m[2] + ":" + (quoted ? '"' + text + m[4] : text);
      var end = m.index + m[0].length;
      // `quant*`, as lunr and most search boxes read it: the word's completions (it found
      // nothing, and "did you mean quest*?").
      var star = !quoted && /[\p{L}\p{N}]\*+$/u.test(text || "");
      if (star) text = text.replace(/\*+$/, "");
      out.parts.push({
        text: text, phrase: quoted, exclude: sign === "-", field: field, star: star,
        open: star || (end === query.length && (quoted ? m[4] === "" : /[\p{L}\p{N}]$/u.test(text)))
      });
    }
    return out;
  }

  /* A date given as 2025, 2025-03 or 2025-03-14 → [first day, day after the last) in days
   * since 1970-01-01; null if it is not one. */
  function period(text) {
    var m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(text || "");
    if (!m) return null;
    var y = +m[1], mo = m[2] ? +m[2] - 1 : 0, d = m[3] ? +m[3] : 1;
    // A day its month lacks (`2025-02-30`) is no date: Date.UTC would read it as Mar 2.
    if (mo < 0 || mo > 11 || d < 1 || d > new Date(Date.UTC(y, mo + 1, 0)).getUTCDate()) return null;
    var start = Date.UTC(y, mo, d) / DAY_MS;
    if (m[3]) return [start, start + 1];
    return [start, (m[2] ? Date.UTC(y, mo + 1, 1) : Date.UTC(y + 1, 0, 1)) / DAY_MS];
  }

  /* Days since 1970-01-01 → `2025-03-12`. */
  function isoDay(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  /* A paper page's slug from its path (`papers/SLUG.html`), or null for another page. */
  function slugOf(path) {
    var m = /^papers\/([a-z0-9-]+)\.html$/.exec(path);
    return m && m[1];
  }

  /* --- queries: planning --------------------------------------------------------------- */

  /* The query as clauses. A clause stands for one or more query words and holds
   * alternatives (the words as typed, a compound joined or split, a synonym); an
   * alternative is a list of slots, each a Map of terms with their boosts (a stem, its
   * variants, completions of a word being typed, near misses of an unknown word). */
  Engine.prototype.plan = function (query, options) {
    var self = this, parsed = parse(query), clauses = [], excluded = [], phrases = [];
    options = options || {};
    var run = []; // consecutive plain words of one field: synonyms and compounds may span them
    var flush = function () { clauses.push.apply(clauses, self.clausesFor(run)); run = []; };
    parsed.parts.forEach(function (part) {
      var items = self.queryWords(part.text, part.open);
      if (part.exclude) {
        // `-quant*` leaves out every completion, as `quant*` finds them (it left out `quant` alone).
        var leaveOut = function (w) {
          var slot = self.exactSlot(w);
          if (part.star) self.completions(w.word, Infinity).forEach(function (v) { slot.set(self.stemOf.get(v), BOOST.exact); });
          return slot;
        };
        if (items.length) excluded.push({ field: part.field, slots: items.map(leaveOut) });
        return;
      }
      items.forEach(function (w) { w.field = part.field; w.phrase = part.phrase; });
      if (part.phrase || (run.length && run[0].field !== part.field)) flush();
      if (part.phrase) {
        // A phrase still being typed ("reward mod) is checked once its last word is known;
        // it is checked with its words repeated as typed ("give me X or give me Y").
        var typedRun = self.queryWords(part.text, false, true);
        if (typedRun.length > 1 && !part.open) {
          var words = typedRun.map(function (w) { return w.stems; });
          words.field = part.field; // title:"…" is looked for in the title alone
          phrases.push(words);
        }
        run = items;
        flush();
      } else {
        run.push.apply(run, items);
      }
    });
    flush();
    return {
      clauses: clauses, excluded: excluded, phrases: phrases,
      tags: parsed.tags.concat(options.tags || []), notTags: parsed.notTags,
      // `-tag:surveys`, a tag the site lacks: nothing left out, and said so.
      unknownNotTags: parsed.notTags.filter(function (t) { return self.tagIdOf(t) === undefined; }),
      after: parsed.after, before: parsed.before, from: options.from || null, to: options.to || null,
      // An author's papers (search() loads them first): only those are kept.
      author: options.author ? (this.byAuthor && this.byAuthor.get(authorKey(options.author))) || new Set() : null,
      ignored: parsed.ignored
    };
  };

  /* The words of a text typed in a query: each with its joined form, its parts if it is a
   * compound, and whether the reader may still be typing it. Stop words are dropped, unless
   * being typed (`the` may become `theorem`). */
  Engine.prototype.queryWords = function (text, open, repeats) {
    var self = this, out = [], seen = new Set();
    var matches = foldedPieces(text);
    matches.forEach(function (match, i) {
      var list = compoundParts(match), word = list.join("");
      list = list.length > 1 ? list.filter(function (w) { return codePoints(w) <= MAX_WORD; }) : [];
      var last = open && i === matches.length - 1;
      if (!list.length && codePoints(word) > MAX_WORD) return; // a URL or junk, never indexed
      if (!word || (seen.has(word) && !repeats) || (STOP.has(word) && !last)) return;
      seen.add(word);
      // A compound's words without its stop words (`in-context` → context): as the text's
      // stems and the synonym lists hold them.
      var parts = list.filter(function (w) { return !STOP.has(w); });
      out.push({ word: word, open: last, stop: STOP.has(word), parts: parts,
                 stems: parts.length ? parts.map(function (w) { return self.stem(w); }) : [self.stem(word)] });
    });
    return out;
  };

  Engine.prototype.exactSlot = function (w) {
    var slot = new Map();
    if (this.termIndex.has(this.stem(w.word))) slot.set(this.stem(w.word), BOOST.exact);
    return slot;
  };

  /* Clauses for a run of query words: synonyms first (longest match), then two words that
   * the corpus writes joined (`flash attention` → flashattention), then one word each. */
  Engine.prototype.clausesFor = function (items) {
    var out = [], i = 0;
    while (i < items.length) {
      var synonym = items[i].phrase ? null : this.synonymAt(items, i);
      if (synonym) { out.push(synonym.clause); i += synonym.length; continue; }
      var joined = i + 1 < items.length && !items[i].phrase ? this.joinedClause(items[i], items[i + 1]) : null;
      if (joined) { out.push(joined); i += 2; continue; }
      out.push(this.wordClause(items[i]));
      i += 1;
    }
    return out;
  };

  /* The clause of one word: the word itself; a compound also as its parts; a long word
   * the corpus also writes as two words (`multiagent` → multi agent) also split. The parts
   * count only side by side, as a synonym spelled out does (checkSpelled): `multi-agent`
   * listed papers on multi-turn dialogue with agents above those on multi-agent systems. */
  Engine.prototype.wordClause = function (w) {
    var alternatives = [{ slots: [this.slotFor(w)], weight: 1 }];
    // A number with a dot (`2.0`, `1.5`) is not its digits joined (`20`, `15`), which the
    // index also holds for it: that form counts only where the text writes the number so
    // (`2.0` listed papers saying "20" among those on Web 2.0). Not an arXiv id, whose
    // joined form is the word of its paper's `arxiv` field.
    if (w.parts.length > 1 && w.parts.every(function (p) { return /^\d+$/.test(p); }) && !ARXIV_ID.test(w.parts.join("."))) {
      alternatives[0].spelled = w.parts;
    }
    var parts = w.parts.length > 1 ? w.parts : this.splitWord(w.word);
    if (parts) {
      alternatives.push({ slots: parts.map(function (p) { return this.slotFor({ word: p }); }, this), weight: 0.8, whole: true,
                          spelled: parts.map(function (p) { return this.stem(p); }, this) });
    }
    return { words: [w], required: !w.stop, field: w.field, alternatives: alternatives };
  };

  Engine.prototype.joinedClause = function (a, b) {
    if (a.stop || b.stop || a.field !== b.field) return null;
    var joined = a.word + b.word, slot = new Map();
    if (this.stemOf.has(joined)) slot.set(this.stemOf.get(joined), BOOST.exact);
    if (b.open) this.completions(joined).forEach(function (w) { slot.set(this.stemOf.get(w), BOOST.prefix); }, this);
    if (!slot.size) return null;
    return {
      words: [a, b], required: true, field: a.field,
      alternatives: [{ slots: [this.slotFor(a), this.slotFor(b)], weight: 1 }, { slots: [slot], weight: 1 }]
    };
  };

  /* A synonym starting at word i: the words (their stems) equal one way of saying it. */
  Engine.prototype.synonymAt = function (items, i) {
    var best = null;
    for (var g = 0; g < this.synonyms.length; g++) {
      var group = this.synonyms[g];
      for (var a = 0; a < group.length; a++) {
        var stems = group[a], k = 0, j = i, typed = [];
        while (j < items.length && k < stems.length && !items[j].phrase && items[j].field === items[i].field) {
          var ws = items[j].stems, ok = true;
          for (var s = 0; s < ws.length; s++) if (stems[k + s] !== ws[s]) ok = false;
          if (!ok) break;
          k += ws.length;
          typed.push(items[j]);
          j++;
        }
        if (k !== stems.length || !typed.length || (best && best.length >= typed.length)) continue;
        best = { length: typed.length, group: group, typed: typed };
      }
    }
    if (!best) return null;
    var self = this, wordsAlt = { slots: best.typed.map(function (w) { return self.slotFor(w); }), weight: 1 };
    var alternatives = [wordsAlt];
    var typed = best.typed.map(function (w) { return w.stems.join(" "); }).join(" ");
    // A compound typed (`KV-cache`) is searched above as one joined word: its words apart
    // are the list's spelling equal to the typed one, searched as any other.
    var joined = best.typed.some(function (w) { return w.parts.length > 0; });
    best.group.forEach(function (stems) {
      if ((stems.join(" ") === typed && !joined) || !stems.every(function (t) { return self.termIndex.has(t); })) return;
      alternatives.push({ slots: stems.map(function (t) { return new Map([[t, BOOST.exact]]); }), weight: 0.9, whole: true, spelled: stems });
    });
    return { length: best.length, clause: { words: best.typed, required: true, field: best.typed[0].field, alternatives: alternatives } };
  };

  /* A word the index does not know as typed, or knows joined and apart: its two halves when
   * both are indexed words of three letters or more, the most frequent split first. */
  Engine.prototype.splitWord = function (word) {
    if (codePoints(word) < 7 || /\d/.test(word)) return null;
    for (var i = 3; i <= word.length - 3; i++) {
      var a = word.slice(0, i), b = word.slice(i);
      if (this.stemOf.has(a) && this.stemOf.has(b) && !STOP.has(a) && !STOP.has(b)) return [a, b];
    }
    return null;
  };

  /* The terms standing for one query word, with boosts: its stem; words of the same root
   * (router → routing, routed); completions if being typed; near misses if unknown. */
  Engine.prototype.slotFor = function (w) {
    var self = this, word = w.word, slot = new Map(), known = this.stemOf.has(word);
    var add = function (term, boost) {
      if (self.termIndex.has(term) && !(slot.get(term) >= boost)) slot.set(term, boost);
    };
    if (!w.stop) add(this.stem(word), BOOST.exact);
    if (!w.stop) this.sameRoot(word).forEach(function (v) { add(self.stemOf.get(v), BOOST.root); });
    if (!w.stop) this.otherSpellings(word).forEach(function (v) { add(self.stemOf.get(v), BOOST.root); });
    var guesses = new Map();
    var guess = function (term, boost) {
      if (self.termIndex.has(term) && !slot.has(term) && !(guesses.get(term) >= boost)) guesses.set(term, boost);
    };
    // One CJK letter is read as the start of the pairs of letters the index holds (`图`
    // finds 图像, 图表 ...), typed or not: alone it is rarely a text's whole run.
    var completing = (w.open && codePoints(word) >= PREFIX_MIN) || isCjkLetter(word);
    if (completing) {
      this.completions(word).forEach(function (v) {
        if (known || w.stop) add(self.stemOf.get(v), BOOST.prefix); else guess(self.stemOf.get(v), BOOST.guess);
      });
    }
    // A word being typed that begins indexed words is unfinished, not misspelt.
    var unfinished = completing && guesses.size > 0;
    if (!known && !unfinished && !w.stop && codePoints(word) >= FUZZY_MIN && !/^\d+$/.test(word) && !ARXIV_WORD.test(word)) {
      var near = this.oneEditAway(word);
      near.forEach(function (v) {
        guess(self.stemOf.get(v), BOOST.guess * (v[0] === word[0] ? 1 : 0.5));
      });
      if (!near.length && this.stemmer && codePoints(word) >= STEM_FUZZY_MIN) this.oneEditAway(word, true).forEach(function (t) { guess(t, BOOST.guess); });
    }
    if (guesses.size) slot.guesses = guesses;
    return slot;
  };

  /* Give a slot's guesses their boosts once their postings are loaded: the more papers use
   * a word, the likelier it is the one meant (square root of its share of the most used). */
  Engine.prototype.settle = function (slot) {
    if (!slot.guesses) return;
    var self = this, most = 1;
    slot.guesses.forEach(function (_, t) { most = Math.max(most, self.df(t)); });
    slot.guesses.forEach(function (boost, t) {
      var b = boost * Math.sqrt(self.df(t) / most);
      if (!(slot.get(t) >= b)) slot.set(t, b);
    });
    slot.guesses = null;
  };

  var SUFFIX = /(?:ers|er|ings|ing|ed|es|s|e)$/;

  /* Indexed words sharing the word's root once an inflection is cut (router, routing,
   * routed: rout), which the Porter stemmer keeps apart. */
  Engine.prototype.sameRoot = function (word) {
    var root = word.replace(SUFFIX, "");
    if (codePoints(root) < 4 || /\d/.test(word)) return [];
    var out = [];
    this.completions(root, ROOT_LIMIT).forEach(function (w) {
      if (w !== word && w.length <= root.length + 4 && w.replace(SUFFIX, "") === root) out.push(w);
    });
    if (this.stemOf.has(root)) out.push(root);
    return out;
  };

  /* The word's other spellings (SPELLINGS, one change at a time) that the index holds. */
  Engine.prototype.otherSpellings = function (word) {
    var out = [], self = this;
    if (codePoints(word) < 5 || /\d/.test(word)) return out;
    SPELLINGS.forEach(function (pair) {
      [[pair[0], pair[1]], [pair[1], pair[0]]].forEach(function (change) {
        for (var i = word.indexOf(change[0]); i >= 0; i = word.indexOf(change[0], i + 1)) {
          var v = word.slice(0, i) + change[1] + word.slice(i + change[0].length);
          if (v !== word && self.stemOf.has(v) && out.indexOf(v) < 0) out.push(v);
        }
      });
    });
    return out;
  };

  /* Indexed words starting with `prefix`, the shortest `limit` (PREFIX_LIMIT) of them. */
  Engine.prototype.completions = function (prefix, limit) {
    var found = this.vocab.prefixed(prefix).filter(function (w) { return w !== prefix; });
    found.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); });
    return found.slice(0, limit || PREFIX_LIMIT);
  };

  /* Indexed words one edit (insert, delete, substitute, transpose) away from `word`. The
   * first letter is taken as typed, but for a letter dropped or two swapped: the words of
   * one initial are read, not the whole word list (`ransformer` no longer finds
   * transformer; bench/search_quality.py's judged queries rank the same).
   * `asStems`: the indexed terms that spellings one edit away stem to, for a word with no
   * indexed word that near: `explainabilty` is one letter from `explainability`, which no
   * paper writes, but whose stem `explain` papers do. */
  Engine.prototype.oneEditAway = function (word, asStems) {
    var self = this, out = new Set(), chars = Array.from(word), alphabet = this.alphabet, stemOf = this.stemOf;
    var keep = asStems
      ? function (cand) { var term = self.stem(cand); if (self.termIndex.has(term)) out.add(term); }
      : function (cand) { if (stemOf.has(cand)) out.add(cand); };
    for (var i = 0; i <= chars.length; i++) {
      var head = chars.slice(0, i).join(""), tail = chars.slice(i).join("");
      if (i < chars.length) keep(head + chars.slice(i + 1).join(""));
      if (i < chars.length - 1) keep(head + chars[i + 1] + chars[i] + chars.slice(i + 2).join(""));
      for (var a = 0; a < alphabet.length; a++) {
        if (i === 0 && alphabet[a] !== chars[0]) continue;
        keep(head + alphabet[a] + tail);
        if (i < chars.length) keep(head + alphabet[a] + chars.slice(i + 1).join(""));
      }
    }
    out.delete(asStems ? this.stem(word) : word);
    return Array.from(out);
  };

  /* --- queries: ranking ---------------------------------------------------------------- */

  /* Every term a plan may score, with its best boost (also what the tests run in lunr). */
  Engine.prototype.planTerms = function (plan) {
    var terms = new Map();
    var note = function (slot) {
      slot.forEach(function (boost, t) { if (!(terms.get(t) >= boost)) terms.set(t, boost); });
      if (slot.guesses) slot.guesses.forEach(function (boost, t) { if (!terms.has(t)) terms.set(t, boost); });
    };
    plan.clauses.forEach(function (c) { c.alternatives.forEach(function (a) { a.slots.forEach(note); }); });
    plan.excluded.forEach(function (e) { e.slots.forEach(note); });
    return terms;
  };

  /* Ranked doc ids for a query, loading the shards it needs. `options`: tags (all of them
   * required), from / to (periods as in after:/before:), author (a name: only that
   * author's papers), sort ("relevance", "newest", "oldest"). A result counts as
   * superseded (and is not ranked) if `isStale()` says so. */
  Engine.prototype.search = function (query, options) {
    var self = this, plan;
    options = options || {};
    this.prefetch(query);
    var author = options.author ? this.authorPapers(options.author) : null;
    return Promise.all([this.prepare(query, options, null, options.isStale), author]).then(function () {
      if (options.isStale && options.isStale()) return null;
      var needed = new Set();
      plan = self.plan(query, options);
      self.planTerms(plan).forEach(function (_, term) {
        var n = self.shardOf(term);
        if (!self.shards[n]) needed.add(n);
      });
      return Promise.all(Array.from(needed).map(function (n) { return self.loadShard(n); }));
    }).then(function (loaded) {
      if (!loaded || (options.isStale && options.isStale())) return null;
      var sort = options.sort || "relevance", result = self.rank(plan, sort);
      return self.checkSpelled(result, plan, sort, options.isStale).then(function (spelled) {
        return spelled && self.checkPhrases(spelled, plan, options.isStale);
      }).then(function (checked) {
        if (!checked) return null;
        return sort === "relevance" ? self.nearness(checked, plan) : checked;
      }).then(function (done) {
        // The page offers "Did you mean" when nothing holds every word: its words' shards.
        if (!done || (done.ids.length && !(done.words > 1 && done.complete === 0))) return done;
        return self.prepareSuggest(query).then(function () { return done; });
      });
    });
  };

  /* Ask for the term shards of the typed words' stems, found by the shards' first terms,
   * while the word shards that number the terms are on the way: a round trip fewer. Only
   * for a word whose word shard is not loaded yet (else the term shards are asked for at
   * once anyway), and not for the word being typed: its shard changes with every key, and
   * most searches of a word half typed are superseded (at 10,000 papers that fetched a
   * quarter more bytes before the first results). A stem the index lacks costs a shard no
   * plan reads. */
  Engine.prototype.prefetch = function (query) {
    var self = this, firsts = this.meta.shardTerms, vocab = this.vocab;
    if (!firsts || vocab.loaded === vocab.bounds.length) return;
    parse(query).parts.forEach(function (part) {
      if (part.exclude) return;
      self.queryWords(part.text, part.open).forEach(function (w) {
        if (w.stop || w.open || vocab.lists[vocab.home(w.word)]) return;
        w.stems.forEach(function (stem) {
          var lo = 0, hi = firsts.length - 1;
          while (lo < hi) {
            var mid = (lo + hi + 1) >> 1;
            if (firsts[mid] <= stem) lo = mid; else hi = mid - 1;
          }
          self.loadShard(lo).catch(function () {}); // a failure is the search's to meet
        });
      });
    });
  };

  /* Load the word shards `suggest(query)` reads (the words of each misspelt word's initial). */
  Engine.prototype.prepareSuggest = function (query) {
    var self = this, vocab = this.vocab;
    if (vocab.loaded === vocab.bounds.length) return Promise.resolve();
    var round = function () {
      var lacking = vocab.lacking(function () { self.suggest(query); });
      if (!lacking.length) return Promise.resolve();
      return Promise.all(lacking.map(function (i) { return self.loadWords(i); })).then(round);
    };
    return round();
  };

  /* Pairs of term sets whose words the query has side by side: consecutive query words,
   * and the words of a split compound or a spelled-out synonym. A pair's `whole` is the
   * compound written as one word, which is the pair side by side already. Pairs of one
   * `group` are ways of saying one thing (a clause's alternatives): a paper holding several
   * spellings of a synonym has said it once, not once a spelling. */
  function adjacentPairs(plan) {
    var pairs = [], previous = null, group = 0;
    // A word's stem and words of its root, not completions of it: `vital` beside nothing
    // put three papers for `vit` ahead of the ViT review.
    var slotTerms = function (slot) {
      var terms = new Set();
      slot.forEach(function (boost, term) { if (boost > BOOST.prefix) terms.add(term); });
      return terms;
    };
    plan.clauses.forEach(function (clause) {
      var alts = clause.alternatives;
      // Any one-word way of saying the clause (the compound joined, an acronym) is its words
      // together: `text-to-speech` put TouchTTS, which says TTS, behind papers naming
      // text-to-speech once in a list.
      var whole = null;
      alts.forEach(function (a) {
        if (a.slots.length !== 1) return;
        whole = whole || new Set();
        slotTerms(a.slots[0]).forEach(function (t) { whole.add(t); });
      });
      // The words either side of two clauses, in every way of saying each: a text reads a
      // compound as its parts (`continual pre-training` → continu, pre, train), so the word
      // typed joined (`pretraining`) alone put a survey saying "continual pretraining" once
      // ahead of the paper with the phrase in its title (a reviewer).
      var opening = new Set(), closing = new Set();
      alts.forEach(function (alt) {
        slotTerms(alt.slots[0]).forEach(function (t) { opening.add(t); });
        slotTerms(alt.slots[alt.slots.length - 1]).forEach(function (t) { closing.add(t); });
      });
      if (previous && previous.field === clause.field && !clause.words[0].phrase) {
        pairs.push({ a: previous.last, b: opening, whole: null, group: group++ });
      }
      var inClause = group++;
      alts.forEach(function (alt) {
        for (var i = 0; i + 1 < alt.slots.length; i++) {
          pairs.push({ a: slotTerms(alt.slots[i]), b: slotTerms(alt.slots[i + 1]), whole: whole, group: inClause });
        }
      });
      previous = { field: clause.field, last: closing };
    });
    return pairs;
  }

  /* Among the best NEAR_CHECK results (whose text is loaded anyway, to be shown), papers
   * holding more of the query's word pairs side by side (stop words aside) in the title or
   * abstract come first within the same coverage: a name that merely contains a query word
   * (Flash-LLM for `flash attention`) falls behind the words together. */
  Engine.prototype.nearness = function (result, plan) {
    var pairs = adjacentPairs(plan), self = this, idField = this.fields.indexOf("arxiv");
    if (!pairs.length || !result.ranked.length) return Promise.resolve(result);
    var top = result.ranked.slice(0, NEAR_CHECK);
    // A paper's arXiv id is no word of its text: the id typed (`2401.12345`, whose joined
    // form is the `whole`) is its words together where the paper's `arxiv` field holds it,
    // else an abstract citing the id came first.
    var holdsId = function (id, pair) {
      return idField >= 0 && !!pair.whole && Array.from(pair.whole).some(function (term) {
        var postings = self.postingsOf(term);
        return !!postings && postings[idField].docs.indexOf(id) >= 0;
      });
    };
    return this.docs(top.map(function (r) { return r.id; })).then(function (docs) {
      docs.forEach(function (d, i) {
        var stems = self.textStems(d.title + " \u2029 " + d.text), found = new Set();
        pairs.forEach(function (pair) {
          if (!found.has(pair.group) && (near(stems, pair) || holdsId(top[i].id, pair))) found.add(pair.group);
        });
        top[i].near = found.size;
      });
      top.sort(function (a, b) { return b.covered - a.covered || b.near - a.near || b.score - a.score || a.id - b.id; });
      result.ranked = top.concat(result.ranked.slice(NEAR_CHECK));
      result.ids = result.ranked.map(function (r) { return r.id; });
      return result;
    });
  };

  /* Is a term of the pair's `a` followed by one of its `b`, or its `whole` there? */
  function near(stems, pair) {
    for (var i = 0; i < stems.length; i++) {
      if (pair.whole && pair.whole.has(stems[i])) return true;
      if (pair.a.has(stems[i]) && pair.b.has(stems[i + 1])) return true;
    }
    return false;
  }

  /* A tag's number, by its name or title (folded), or undefined if the site lacks it. */
  Engine.prototype.tagIdOf = function (t) {
    return this.tagId.has(t) ? this.tagId.get(t) : this.tagId.get(fold(t));
  };

  /* The days a plan's dates allow, [first, end) in days since 1970 (infinite where open);
   * empty (first ≥ end) when the start given comes after the end given. */
  Engine.prototype.dateSpan = function (plan) {
    var lo = -Infinity, hi = Infinity, p;
    if (plan.after && (p = period(plan.after))) lo = Math.max(lo, p[0]);
    if (plan.from && (p = period(plan.from))) lo = Math.max(lo, p[0]);
    if (plan.before && (p = period(plan.before))) hi = Math.min(hi, p[0]);
    if (plan.to && (p = period(plan.to))) hi = Math.min(hi, p[1]);
    return [lo, hi];
  };

  /* Doc → true if it passes the filters (tags, dates, author). */
  Engine.prototype.filter = function (plan) {
    var self = this, tagIds = [], unknown = false, notIds = [], authored = plan.author;
    plan.tags.forEach(function (t) {
      var id = self.tagIdOf(t);
      if (id === undefined) unknown = true; else tagIds.push(id);
    });
    (plan.notTags || []).forEach(function (t) { var id = self.tagIdOf(t); if (id !== undefined) notIds.push(id); });
    var span = this.dateSpan(plan), lo = span[0], hi = span[1];
    var dated = lo > -Infinity || hi < Infinity;
    var within = function (day) { return day >= 0 && day >= lo && day < hi; };
    return function (doc) {
      if (unknown || (authored && !authored.has(doc))) return false;
      for (var i = 0; i < tagIds.length; i++) if (self.docTags[doc].indexOf(tagIds[i]) < 0) return false;
      for (var j = 0; j < notIds.length; j++) if (self.docTags[doc].indexOf(notIds[j]) >= 0) return false;
      if (dated && !within(self.days[doc]) && !(self.earlier.has(doc) && self.earlier.get(doc).some(within))) {
        return false; // listed on no day in the range (a paper listed twice: on either)
      }
      return true;
    };
  };

  /* Scratch arrays of one number per paper, reused by every query (set back to zero after
   * use, through the list of papers touched): at 50,000 papers a Map per slot cost more
   * than the scoring. */
  Engine.prototype.scratch = function () {
    if (!this.buffers) {
      var n = this.meta.n;
      this.buffers = { slot: new Float64Array(n), sum: new Float64Array(n), count: new Uint16Array(n),
                       best: new Float64Array(n), full: new Uint8Array(n), plain: new Uint8Array(n),
                       score: new Float64Array(n), covered: new Uint16Array(n), seen: new Uint8Array(n) };
    }
    return this.buffers;
  };

  /* A slot's best boosted score per paper (into `into`, for the papers listed in the
   * returned array; limited to a field if given). */
  Engine.prototype.slotScores = function (slot, field, matched, into) {
    var touched = [];
    this.settle(slot);
    slot.forEach(function (boost, term) {
      var fields = this.termScores(term), hit = false;
      for (var f = 0; f < fields.length; f++) {
        if (field !== null && field !== undefined && f !== field) continue;
        var docs = fields[f].docs, scores = fields[f].scores;
        for (var i = 0; i < docs.length; i++) {
          var doc = docs[i], v = boost * scores[i];
          hit = true;
          if (into[doc] === 0) touched.push(doc);
          if (v > into[doc]) into[doc] = v;
        }
      }
      if (hit && matched) matched.push(term);
    }, this);
    return touched;
  };

  /* Papers covering more of the query's words first (a compound, joined or apart, and a
   * synonym count as their words), then by the summed field-weighted BM25 of each clause's
   * best alternative, then newest first. */
  Engine.prototype.rank = function (plan, sort) {
    var self = this, keep = this.filter(plan), n = this.meta.n, buf = this.scratch();
    // `matched`: the terms matched, marked wherever they stand, with the `runs` of terms
    // marked only together (a list of term sets, word after word).
    var result = { ids: [], plan: plan, matched: new Set(), complete: 0, required: 0, phraseChecked: 0 };
    var span = this.dateSpan(plan);
    // With dates asked for, a paper is dated (and sorted) by its newest listing day among
    // them: "Apr 11" headed a search from January to March (listed Mar 30 too; a reviewer).
    result.span = span[0] > -Infinity || span[1] < Infinity ? span : null;
    result.matched.runs = [];
    var excluded = new Set();
    plan.excluded.forEach(function (e) {
      var sets = e.slots.map(function (slot) {
        var touched = self.slotScores(slot, e.field, null, buf.slot);
        touched.forEach(function (doc) { buf.slot[doc] = 0; });
        return new Set(touched);
      });
      if (!sets.length || sets.some(function (s) { return !s.size; })) return;
      sets[0].forEach(function (doc) { if (sets.every(function (s) { return s.has(doc); })) excluded.add(doc); });
    });
    var required = plan.clauses.filter(function (c) { return c.required; });
    result.required = required.length;
    result.words = required.reduce(function (n, c) { return n + c.words.length; }, 0);
    var all = []; // every paper scored, once
    var spelled = new Map(); // doc → clauses it covers only by a synonym spelled out (see checkSpelled)
    plan.clauses.forEach(function (clause, c) {
      var inClause = [], width = clause.words.length;
      clause.alternatives.forEach(function (alt) {
        var matched = [], inAlt = [], slots = alt.slots.length, bySlot = [];
        alt.slots.forEach(function (slot) {
          var mine = [];
          bySlot.push(mine);
          var touched = self.slotScores(slot, clause.field, mine, buf.slot);
          matched.push.apply(matched, mine);
          for (var i = 0; i < touched.length; i++) {
            var doc = touched[i];
            if (buf.count[doc] === 0) inAlt.push(doc);
            buf.sum[doc] += buf.slot[doc];
            buf.count[doc] += 1;
            buf.slot[doc] = 0;
          }
        });
        var scale = alt.weight * width / slots;
        for (var i = 0; i < inAlt.length; i++) {
          var doc = inAlt[i], complete = buf.count[doc] === slots;
          if (!complete && alt.whole) { buf.sum[doc] = 0; buf.count[doc] = 0; continue; }
          var value = buf.sum[doc] * scale * (complete ? 1 : PARTIAL);
          if (buf.best[doc] === 0 && !buf.full[doc]) inClause.push(doc);
          if (value > buf.best[doc]) buf.best[doc] = value;
          if (complete) buf.full[doc] = 1;
          if (complete && !alt.spelled) buf.plain[doc] = 1;
          buf.sum[doc] = 0;
          buf.count[doc] = 0;
        }
        // A synonym spelled out, a compound split (`low-rank adaptation` for LoRA) is marked
        // where its words stand together, not each word anywhere: "Low-Resource" and
        // "Adaptation" were marked in a title for `LoRA` (a reviewer).
        if (alt.spelled && slots > 1) {
          if (bySlot.every(function (terms) { return terms.length; })) {
            result.matched.runs.push(bySlot.map(function (terms) { return new Set(terms); }));
          }
        } else {
          matched.forEach(function (t) { result.matched.add(t); });
        }
      });
      for (var i = 0; i < inClause.length; i++) {
        var doc = inClause[i];
        if (!buf.seen[doc]) { buf.seen[doc] = 1; all.push(doc); }
        buf.score[doc] += buf.best[doc];
        if (clause.required && buf.full[doc]) buf.covered[doc] += 1;
        if (clause.required && buf.full[doc] && !buf.plain[doc]) spelled.set(doc, (spelled.get(doc) || []).concat([c]));
        buf.best[doc] = 0;
        buf.full[doc] = 0;
        buf.plain[doc] = 0;
      }
    });
    var ranked = [];
    if (!plan.clauses.length) {
      var filtered = plan.tags.length || (plan.notTags || []).length || plan.after || plan.before || plan.from || plan.to ||
        plan.author;
      if (filtered) for (var doc = 0; doc < n; doc++) if (keep(doc) && !excluded.has(doc)) ranked.push({ id: doc, score: 0, covered: 0 });
    }
    all.forEach(function (doc) {
      if (keep(doc) && !excluded.has(doc)) {
        ranked.push({ id: doc, score: buf.score[doc], covered: buf.covered[doc], spelled: spelled.get(doc) || null });
      }
      buf.score[doc] = 0;
      buf.covered[doc] = 0;
      buf.seen[doc] = 0;
    });
    // By date, the papers with every word first (as the status line counts them), each part
    // newest or oldest first: a paper with one word of four is not a match to read first.
    result.ranked = ranked;
    return this.ordered(result, sort);
  };

  Engine.prototype.ordered = function (result, sort) {
    var self = this, ranked = result.ranked, span = result.span;
    var byDay = function (a, b) { return self.dayIn(b.id, span) - self.dayIn(a.id, span) || a.id - b.id; };
    if (sort === "newest" && span) ranked.sort(function (a, b) { return b.covered - a.covered || byDay(a, b); });
    else if (sort === "oldest" && span) ranked.sort(function (a, b) { return b.covered - a.covered || byDay(b, a); });
    else if (sort === "newest") ranked.sort(function (a, b) { return b.covered - a.covered || a.id - b.id; });
    else if (sort === "oldest") ranked.sort(function (a, b) { return b.covered - a.covered || self.oldestFirst(a.id, b.id); });
    else ranked.sort(function (a, b) { return b.covered - a.covered || b.score - a.score || a.id - b.id; });
    result.ids = ranked.map(function (r) { return r.id; });
    result.complete = ranked.filter(function (r) { return r.covered === result.required; }).length;
    return result;
  };

  /* A synonym spelled out (`ICL` → in-context learning), or a compound's parts (`multi-agent`
   * → multi agent), counts only as its words side by side: papers saying "context" here and
   * "learning" there ranked above those saying ICL.
   * The index has no word positions, so the candidates covered only that way among the
   * first 2 × NEAR_CHECK results are read, again as the order changes, until the first
   * NEAR_CHECK are all known (up to PHRASE_CHECK read); one without the words together no
   * longer counts as covering that clause. Reading the best 40 such candidates at a time
   * took `ICL` at 10,000 papers from 13 data files to 51 (16 this way). */
  Engine.prototype.checkSpelled = function (result, plan, sort, isStale) {
    var self = this, checked = 0;
    var next = function () {
      if (isStale && isStale()) return Promise.resolve(null);
      var open = function (r) { return r.spelled && !r.read; };
      if (!result.ranked.slice(0, NEAR_CHECK).some(open) || checked >= PHRASE_CHECK) return Promise.resolve(result);
      var batch = result.ranked.slice(0, 2 * NEAR_CHECK).filter(open);
      checked += batch.length;
      return self.docs(batch.map(function (r) { return r.id; })).then(function (docs) {
        docs.forEach(function (d, i) {
          var r = batch[i], stems = self.textStems(d.title + " \u2029 " + d.text);
          r.read = true;
          r.spelled.forEach(function (c) {
            var together = plan.clauses[c].alternatives.some(function (alt) {
              // An acronym for the words typed counts as a word of its own, not inside a
              // name: `machine translation` found every paper evaluated on MT-Bench.
              var own = alt.spelled && alt.spelled.length === 1 && stems.joined;
              return alt.spelled && containsRun(own ? stems.joined : stems, [alt.spelled]);
            });
            if (!together) { r.covered -= 1; r.score *= PARTIAL; }
          });
        });
        self.ordered(result, sort);
        return next();
      });
    };
    return next();
  };

  /* A paper's newest listing day within `span` ([first, end) in days since 1970), or its
   * newest of all with no span; -1 when it has none. */
  Engine.prototype.dayIn = function (doc, span) {
    var day = this.days[doc];
    if (!span || (day >= span[0] && day < span[1])) return day;
    var inside = (this.earlier.get(doc) || []).filter(function (d) { return d >= span[0] && d < span[1]; });
    return inside.length ? Math.max.apply(null, inside) : -1;
  };

  Engine.prototype.oldestFirst = function (a, b) {
    var da = this.days[a], db = this.days[b];
    if ((da < 0) !== (db < 0)) return da < 0 ? 1 : -1;
    return b - a;
  };

  /* Keep only papers whose title or abstract has each quoted phrase, word after word (stop
   * words aside), reading the best candidates' text (see PHRASE_BATCH); `morePhrases`
   * reads on. */
  Engine.prototype.checkPhrases = function (result, plan, isStale) {
    if (!plan.phrases.length) return Promise.resolve(result);
    var candidates = result.ranked.filter(function (r) { return r.covered === result.required; });
    result.phrase = { all: result.ranked, candidates: candidates, ok: new Set(), checked: 0, phrases: plan.phrases };
    result.ranked = [];
    return this.readPhrases(result, PHRASE_ENOUGH, isStale);
  };

  /* Read on until `enough` papers hold the phrases (at most PHRASE_CHECK more read): at
   * 10,000 papers "Show more" stopped at 30 of 161 papers saying "reward model". Those
   * found are added after the ones already ranked, in rank order: the first are on screen. */
  Engine.prototype.morePhrases = function (result, enough) {
    if (!result.phrase || !result.phraseUnchecked) return Promise.resolve(result);
    return this.readPhrases(result, enough, null);
  };

  Engine.prototype.readPhrases = function (result, enough, isStale) {
    var self = this, p = result.phrase, stop = p.checked + PHRASE_CHECK;
    // Best first, a batch at a time: the first pages of results are those of reading all
    // PHRASE_CHECK, for a fraction of the text (825 kB read all 200 for "reward model" at
    // 10,000 papers).
    var next = function () {
      var batch = p.candidates.slice(p.checked, Math.min(p.checked + PHRASE_BATCH, stop));
      if (!batch.length || p.ok.size >= enough || (isStale && isStale())) return Promise.resolve();
      p.checked += batch.length;
      return self.docs(batch.map(function (r) { return r.id; })).then(function (docs) {
        docs.forEach(function (d) {
          var read = {}; // the stems of the title (0), the abstract (1), or both (null)
          var stems = function (field) {
            if (!(field in read)) {
              read[field] = self.textStems(field === 0 ? d.title : field === 1 ? d.text : d.title + " \u2029 " + d.text);
            }
            return read[field];
          };
          var field = function (ph) { return ph.field === 0 || ph.field === 1 ? ph.field : null; };
          if (p.phrases.every(function (ph) { return containsRun(stems(field(ph)), ph); })) p.ok.add(d.id);
        });
        return next();
      });
    };
    return next().then(function () {
      if (isStale && isStale()) return null; // a newer search supersedes this one: not ranked
      var shown = new Set(result.ranked.map(function (r) { return r.id; }));
      result.ranked = result.ranked.concat(p.all.filter(function (r) { return p.ok.has(r.id) && !shown.has(r.id); }));
      result.ids = result.ranked.map(function (r) { return r.id; });
      result.complete = result.ids.length;
      result.phraseChecked = p.checked;
      result.phraseUnchecked = p.candidates.length - p.checked;
      return result;
    });
  };

  /* A text's terms in order (compounds as their parts, stop words dropped); if it has
   * compounds, also `joined`: the terms with each compound as one word, as the index also
   * holds it. A paper writing "Multi-Modal LLMs" holds the synonym "multimodal LLM" side by
   * side (MLLM left it out), and `"multimodal llm"` is in it. */
  Engine.prototype.textStems = function (text) {
    var self = this, out = [], joined = [];
    foldedPieces(text).forEach(function (m) {
      var parts = compoundParts(m), whole = parts.join("");
      parts.forEach(function (w) {
        if (codePoints(w) <= MAX_WORD && !STOP.has(w)) out.push(self.stem(w));
      });
      if (parts.length > 1) out.compound = true;
      if (codePoints(whole) <= MAX_WORD && !STOP.has(whole)) joined.push(self.stem(whole));
    });
    if (out.compound) out.joined = joined;
    return out;
  };

  /* Does `stems` (or its `joined` reading) hold the phrase's words in order, each word's
   * terms consecutive? */
  function containsRun(stems, phrase) {
    var flat = [];
    phrase.forEach(function (ws) { flat.push.apply(flat, ws); });
    var found = function (seq) {
      outer: for (var i = 0; i + flat.length <= seq.length; i++) {
        for (var j = 0; j < flat.length; j++) if (seq[i + j] !== flat[j]) continue outer;
        return true;
      }
      return false;
    };
    return found(stems) || (stems.joined !== undefined && found(stems.joined));
  }

  /* Path, title, abstract and tags of papers, loading their chunks (numbered from the
   * oldest paper, oldest first: doc ids count from the newest). */
  /* The chunk a doc's text is in: chunks are numbered from the oldest paper, doc ids from
   * the newest. */
  Engine.prototype.chunkOf = function (id) {
    return Math.floor((this.meta.n - 1 - id) / this.meta.chunk);
  };

  /* The papers of these ids, each dated by its newest listing day (within `span` if given:
   * a search's `result.span`). */
  Engine.prototype.docs = function (ids, span) {
    var self = this, size = this.meta.chunk, last = this.meta.n - 1;
    var chunkOf = function (id) { return self.chunkOf(id); };
    var chunks = Array.from(new Set(ids.map(chunkOf)));
    return Promise.all(chunks.map(function (c) {
      if (!self.chunks.has(c)) {
        var loading = self.data("d" + c).then(function (p) { return p.d; });
        loading.catch(function () { self.chunks.delete(c); }); // a failed load is tried again
        self.chunks.set(c, loading);
      }
      return self.chunks.get(c);
    })).then(function () {
      return Promise.all(ids.map(function (id) { return self.chunks.get(chunkOf(id)); }));
    }).then(function (loaded) {
      return ids.map(function (id, i) {
        var row = loaded[i][(last - id) % size], tags = self.meta.tags;
        var day = self.dayIn(id, span); // its newest listing day (among those asked for), as lists date it
        return { id: id, path: row[0], title: row[1], text: row[2],
                 listed: day >= 0 ? isoDay(day) : "",
                 tags: self.docTags[id].map(function (t) { return { name: tags[t][0], title: tags[t][1] }; }) };
      });
    });
  };

  /* The shard of a name (a slug, an author's key) in a directory hashed by name: the 32-bit
   * FNV-1a hash of its UTF-8 bytes modulo `count` (search/data.py `hashed_shards`). */
  function hashedShard(name, count) {
    var bytes = new TextEncoder().encode(name), hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
    return hash % count;
  }

  /* An author's name as the author directory keys it (search/authors.py `author_key`): its
   * folded words of letters and digits, one space apart (`López-Vidal` is `lopez vidal`). */
  function authorKey(name) {
    return (fold(name).match(/[\p{L}\p{N}]+/gu) || []).join(" ");
  }

  /* The papers of an author (`search.html?author=NAME`), as a Set of doc ids: the name's
   * key looked up in its shard of the author directory, one small file; none on a site
   * whose papers have no authors. Remembered for the page's later searches. */
  Engine.prototype.authorPapers = function (name) {
    var self = this, key = authorKey(name), count = this.meta.authorShards;
    this.byAuthor = this.byAuthor || new Map();
    if (this.byAuthor.has(key)) return Promise.resolve(this.byAuthor.get(key));
    var loading = key && count ? this.data("a" + hashedShard(key, count)) : Promise.resolve({ a: {} });
    return loading.then(function (payload) {
      var places = Object.prototype.hasOwnProperty.call(payload.a, key) ? payload.a[key] : [];
      var docs = new Set(places.map(function (place) { return self.meta.n - 1 - place; }));
      self.byAuthor.set(key, docs);
      return docs;
    });
  };

  /* The papers of these slugs (saved.html's list): `wanted` holds {slug}. The answer holds,
   * for each, its doc as docs() gives it, or null when the site has no paper of that slug.
   * A slug is looked up in its shard of the slug directory, and its chunk loaded: no word
   * list, no postings. */
  Engine.prototype.papers = function (wanted) {
    var self = this, count = this.meta.slugShards;
    if (!count) return Promise.reject(staleIndex()); // an entry point older than this script
    var shards = Array.from(new Set(wanted.map(function (w) { return hashedShard(w.slug, count); })));
    return Promise.all(shards.map(function (s) {
      return self.data("s" + s).then(function (p) { return p.s; });
    })).then(function (loaded) {
      var ids = wanted.map(function (w) {
        var places = loaded[shards.indexOf(hashedShard(w.slug, count))];
        return Object.prototype.hasOwnProperty.call(places, w.slug) ? self.meta.n - 1 - places[w.slug] : -1;
      });
      return self.docs(ids.filter(function (id) { return id >= 0; })).then(function (docs) {
        return ids.map(function (id) { return id >= 0 ? docs.shift() : null; });
      });
    });
  };

  /* --- presenting results -------------------------------------------------------------- */

  /* `text`'s words as [start, end, 1 if marked else 0]: a word one of whose terms was
   * matched, or a word of a run of `matched.runs` standing together (stop words aside). */
  Engine.prototype.markedWords = function (text, matched) {
    var re = new RegExp(WORD, "gu"), spans = [], parts = [], joined = [], m, self = this;
    var runs = matched.runs || [];
    var word = function (start, end) { // a word of text[start, end): its span, marked if matched
      var folded = pieces(fold(text.slice(start, end))), span = [start, end, 0];
      folded.forEach(function (piece) {
        splitCompound(piece).forEach(function (w) { if (matched.has(self.stem(w))) span[2] = 1; });
      });
      spans.push(span);
      if (!runs.length) return;
      // For runs, a compound's parts in order, and the compound joined as the index holds it
      // (`low-rank` → low, rank; lowrank).
      folded.forEach(function (piece) {
        var words = compoundParts(piece), whole = words.join("");
        words.forEach(function (w) { if (!STOP.has(w)) parts.push({ stem: self.stem(w), span: span }); });
        if (!STOP.has(whole)) joined.push({ stem: self.stem(whole), span: span });
      });
    };
    while ((m = re.exec(text))) {
      if (CJK_TEST.test(m[0])) cjkWord(m[0], m.index);
      else word(m.index, m.index + m[0].length);
    }
    // A word holding CJK letters: its runs of them marked letter by letter, a letter marked
    // when a matched pair holds it (the whole clause between two commas was marked for 模型),
    // and what stands between them as words of their own.
    function cjkWord(match, at) {
      match.split(CJK_RUN).forEach(function (part, n) {
        var start = at;
        at += part.length;
        if (!(n % 2)) {
          var inner = part.replace(/^[-.'\u2019]+/, ""), lead = part.length - inner.length;
          inner = inner.replace(/[-.'\u2019]+$/, "");
          if (inner) word(start + lead, start + lead + inner.length);
          return;
        }
        var letters = Array.from(part);
        var stems = letterPairs(letters).map(function (pair) { return self.stem(fold(pair)); });
        var hits = stems.map(function (stem) { return matched.has(stem); });
        var group = null, offset = start, groups = [], groupOf = []; // each letter's group
        letters.forEach(function (letter, j) {
          var on = (hits[j] || (j > 0 && hits[j - 1])) ? 1 : 0;
          if (!group || group[2] !== on) groups.push(group = [offset, offset, on]);
          group[1] = offset += letter.length;
          groupOf.push(group);
        });
        groups.forEach(function (g) { spans.push(g); });
        if (!runs.length) return;
        stems.forEach(function (stem, i) { // each pair marked with its first letter's group
          parts.push({ stem: stem, span: groupOf[i] });
          joined.push({ stem: stem, span: groupOf[i] });
        });
      });
    }
    runs.forEach(function (run) {
      [parts, joined].forEach(function (seq) {
        for (var i = 0; i + run.length <= seq.length; i++) {
          var k = 0;
          while (k < run.length && run[k].has(seq[i + k].stem)) k++;
          if (k === run.length) for (k = 0; k < run.length; k++) seq[i + k].span[2] = 1;
        }
      });
    });
    return spans;
  };

  /* text[from, to) as [segment, isMatch] pairs, by its words' `spans` (`markedWords`). */
  function segments(text, spans, from, to) {
    var out = [], last = from;
    spans.forEach(function (span) {
      if (!span[2] || span[0] < from || span[1] > to) return;
      if (span[0] > last) out.push([text.slice(last, span[0]), false]);
      out.push([text.slice(span[0], span[1]), true]);
      last = span[1];
    });
    if (last < to) out.push([text.slice(last, to), false]);
    return out;
  }

  /* `text` cut into [segment, isMatch] pairs: the words `markedWords` marks. */
  Engine.prototype.marks = function (text, matched) {
    return segments(text, this.markedWords(text, matched), 0, text.length);
  };

  /* About `size` words of `text` around its densest run of matches, as marks(); words are
   * marked as in the whole text (a run cut at the window's edge stays marked). */
  Engine.prototype.snippet = function (text, matched, size) {
    var spans = this.markedWords(text, matched);
    if (spans.length <= size) return segments(text, spans, 0, text.length);
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
    var out = segments(text, spans, from, to);
    if (from > 0) out.unshift(["\u2026 ", false]);
    if (to < text.length) out.push([" \u2026", false]);
    return out;
  };

  /* The query with unknown words replaced by the closest indexed word (at most two edits
   * away, same first letter, shorter words first), or null when there is none. A word the
   * index lacks as typed but finds by its stem (`folding`: `fold`) is no misspelling. */
  Engine.prototype.suggest = function (query) {
    var self = this, changed = false, out = [], m;
    // At most one edit in a word of up to five letters, two in a longer one (as search
    // engines' "auto" fuzziness): two edits of `chen` made "ce", of `wang` "way".
    var nearest = function (word, known) {
      var best = null, bestDistance = codePoints(word) <= 5 ? 1 : 2;
      known.forEach(function (w) {
        if (w[0] !== word[0] || Math.abs(w.length - word.length) > bestDistance) return;
        var dist = distance(word, w, bestDistance);
        if (dist < bestDistance || (dist === bestDistance && (!best || w.length < best.length))) {
          best = w;
          bestDistance = dist;
        }
      });
      return best;
    };
    // Word by word as typed: an operator keeps its form (`tag:`, `after:2027`), a tag not
    // on the site becomes the nearest one, and only a plain misspelt word is replaced (a
    // compound, `text2sql`, is left as typed: its joined form is the index's, not a reader's).
    query = arxivQuery(query); // an id the site lacks has no "nearest" spelling
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(query))) {
      var key = (m[2] || "").toLowerCase(), token = m[0];
      if (key === "tag" && m[5] && !this.tagId.has(m[5]) && !this.tagId.has(fold(m[5]))) {
        var tag = nearest(fold(m[5]), this.meta.tags.map(function (t) { return t[0]; }));
        if (tag) { token = m[0].slice(0, m[0].length - m[5].length) + tag; changed = true; }
      } else if (!key && !m[1] && m[3] === undefined) {
        token = token.replace(new RegExp(WORD, "gu"), function (typed) {
          var word = fold(typed);
          if (compoundParts(word).length > 1 || self.stemOf.has(word) || STOP.has(word) || codePoints(word) < 3) return typed;
          if (self.termIndex.has(self.stem(word)) || ARXIV_WORD.test(word)) return typed;
          var best = nearest(word, self.vocab.prefixed(word[0]));
          if (!best) return typed;
          changed = true;
          return best;
        });
      }
      out.push(token);
    }
    return changed ? out.join(" ") : null;
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

  var api = { Engine: Engine, words: words, fold: fold, decodeInts: decodeInts, decodeWords: decodeWords,
              slugOf: slugOf, authorKey: authorKey, PREFIX_MIN: PREFIX_MIN, isCjkLetter: isCjkLetter };
  if (typeof module === "object" && module.exports) module.exports = api;
  else global.SiteSearch = api;
})(typeof window !== "undefined" ? window : this);
