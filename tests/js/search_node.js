// Runs the site's search engine (or a plain lunr index) under Node for tests/test_search.py.
// Usage: node tests/js/search_node.js < request.json; prints one JSON response.
//   {"site": DIR, "queries": [{"q": "...", "tag": "...", "tags": [], "from": "", "to": "",
//      "sort": "", "author": "", "k": 10, "more": N}]}  → ranked paths per query (more: Show
//      more on a phrase search until N hold the phrase)
//   {"lunr": FILE, "queries": ["lunr query syntax"]}        → refs per query, lunr.Index.load
//   {"site": DIR, "lunr": FILE, "compare": ["query"]}        → the engine's terms run in lunr on
//       an index made from the postings it loaded and on FILE (the whole index,
//       lunr.Index.load): [[ref, score]] pairs — the loaded postings are lunr's index
//   {"words": ["text"]} / {"stems": ["word"]}                → the analysis, for comparison
//   {"authorKeys": ["name"]}                                 → each name as the author directory keys it
//   {"site": DIR, "papers": [{"slug": "...", "title": "..."}]} → saved.html's look-up: each
//       paper's path or null, and how many document chunks were loaded
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const repo = path.resolve(__dirname, "..", "..");
const lunr = require(path.join(repo, "node_modules", "lunr", "lunr.js"));
const SiteSearch = require(path.join(repo, "site_builder", "themes", "default", "static", "search-engine.js"));

function loader(site) {
  const context = vm.createContext({ window: {} });
  return (name) => {
    const rel = name === "index" ? "search-index.js" : `search/${name}.js`;
    const code = fs.readFileSync(path.join(site, "assets", rel), "utf8");
    vm.runInContext(code, context, { filename: rel });
    return Promise.resolve(context.window.SEARCH_DATA[name]);
  };
}

const stemmer = (word) => lunr.stemmer(new lunr.Token(word)).toString();

async function searchSite(req) {
  const load = loader(req.site);
  const engine = new SiteSearch.Engine(await load("index"), load, stemmer);
  const out = [];
  for (const q of req.queries) {
    const tags = (q.tags || []).concat(q.tag ? [q.tag] : []);
    const result = await engine.search(q.q, { tags, from: q.from, to: q.to, sort: q.sort, author: q.author });
    const first = q.more ? result.ids.slice() : null; // "Show more" on a phrase search reads on
    if (q.more) await engine.morePhrases(result, q.more);
    const top = result.ids.slice(0, q.k || 10);
    const docs = await engine.docs(top, result.span);
    const top1 = docs[0];
    out.push({
      paths: docs.map((d) => d.path),
      listed: docs.map((d) => d.listed), // as the results say it
      total: result.ids.length,
      complete: result.complete,
      matched: Array.from(result.matched).sort(),
      snippet: top1 ? engine.snippet(top1.text, result.matched, 30) : [],
      title: top1 ? engine.marks(top1.title, result.matched) : [],
      suggestion: result.ids.length ? null : engine.suggest(q.q),
      // "Did you mean", when the page offers it: no result, or none with every word
      hint: !result.ids.length || (result.words > 1 && result.complete === 0) ? engine.suggest(q.q) : null,
      loaded: engine.shards.filter(Boolean).length,
      words: engine.vocab.lists.filter(Boolean).length, // word shards loaded so far
      phraseChecked: result.phraseChecked,
      phraseUnchecked: result.phraseUnchecked || 0,
      keptOrder: first ? first.every((id, i) => result.ids[i] === id) : null,
      ignored: result.plan.ignored,
      unknownNotTags: result.plan.unknownNotTags,
    });
  }
  return out;
}

/* A lunr index made from the postings the engine has loaded: lunr's inverted index, and
 * field vectors scored exactly as lunr.Builder#createFieldVectors scores them. */
function lunrIndexOf(engine) {
  const { k1, b, n: N, fields: spec } = engine.meta;
  const fields = engine.fields, nf = fields.length, terms = Array.from(engine.postings.keys()).sort();
  const invertedIndex = [], vectors = {};
  terms.forEach((term, dimension) => {
    const posting = { _index: dimension };
    // lunr.idf counts a paper once per field that has the term.
    const withTerm = engine.postings.get(term).reduce((n, p) => n + p.docs.length, 0);
    const x = (N - withTerm + 0.5) / (withTerm + 0.5), idf = Math.log(1 + Math.abs(x));
    engine.postings.get(term).forEach((p, f) => {
      const refs = {};
      p.docs.forEach((doc, i) => {
        const tf = p.tfs[i], length = engine.lengths[doc * nf + f];
        const score = spec[f][1] * idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / engine.average[f])) + tf);
        refs[doc] = {};
        (vectors[fields[f] + "/" + doc] ||= []).push(dimension, Math.round(score * 1000) / 1000);
      });
      posting[fields[f]] = refs;
    });
    invertedIndex.push([term, posting]);
  });
  return lunr.Index.load({
    version: lunr.version, fields, pipeline: ["stemmer"], invertedIndex,
    fieldVectors: Object.entries(vectors),
  });
}

async function compare(req) {
  const load = loader(req.site);
  const engine = new SiteSearch.Engine(await load("index"), load, stemmer);
  const whole = lunr.Index.load(JSON.parse(fs.readFileSync(req.lunr, "utf8")));
  const out = [];
  for (const q of req.compare) {
    await engine.search(q, {});
    const clauses = Array.from(engine.planTerms(engine.plan(q)));
    const run = (index) => index.query((query) => {
      clauses.forEach(([term, boost]) => query.term(term, { boost, usePipeline: false }));
    }).map((r) => [r.ref, r.score]);
    out.push([run(lunrIndexOf(engine)), run(whole)]);
  }
  return out;
}

async function main() {
  const req = JSON.parse(fs.readFileSync(0, "utf8"));
  let res;
  if (req.compare) res = await compare(req);
  else if (req.papers) {
    const load = loader(req.site);
    const engine = new SiteSearch.Engine(await load("index"), load, stemmer);
    const docs = await engine.papers(req.papers);
    res = { paths: docs.map((d) => d && d.path), chunks: engine.chunks.size };
  }
  else if (req.site) res = await searchSite(req);
  else if (req.lunr) {
    const index = lunr.Index.load(JSON.parse(fs.readFileSync(req.lunr, "utf8")));
    res = req.queries.map((q) => index.search(q).map((r) => [r.ref, r.score]));
  } else if (req.words) res = req.words.map(SiteSearch.words);
  else if (req.authorKeys) res = req.authorKeys.map(SiteSearch.authorKey);
  else if (req.stems) res = req.stems.map((w) => lunr.stemmer(new lunr.Token(w)).toString());
  process.stdout.write(JSON.stringify(res));
}

main().catch((err) => { console.error(err.stack || String(err)); process.exit(1); });
