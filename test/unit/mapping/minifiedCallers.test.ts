// The anonymous-frame patterns on minified lines, on small hand-minified lines whose answers can
// be read off the text: the callback a wrapper calls, the async caller through named functions,
// and the ambiguous cases that must give no answer rather than a wrong one.
import * as assert from 'node:assert/strict';
import { anonymousCaller } from '../../../src/mapping/minifiedCallers';

const at = (text: string, marker: string, nth = 0) => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(marker, i + 1);
  assert.ok(i >= 0, `${marker} in the line`);
  return i;
};

describe('mapping/minifiedCallers', () => {
  // traced(name, fn) wraps fn in an async closure that calls it; reserve passes an arrow to it;
  // a route handler awaits reserve. What a bundler's minifier makes of sample/services/inventory.
  const line =
    'function k(n,e){return X.captureAsyncFunc(n,async t=>{try{const r=await e(t);return t.close(),r}catch(o){throw t.close(o),o}})}function I(a){return{held:a}}async function S(o,l){return k("reserve",async t=>{t.addAnnotation("o",o);return I(l)})}app.post("/r",async(q,s)=>{const v=await S(q.body.id,q.body.lines);s.json(v)});';

  it('places the closure that calls the callback it was given, where it calls it', () => {
    const callee = at(line, 'I(l)');
    const found = anonymousCaller(line, callee)!;
    assert.equal(found.column, at(line, 'e(t)'));
    assert.match(found.how, /k calls the callback/);
  });

  it('places an async caller at the one call of the named functions around its callee', () => {
    const found = anonymousCaller(line, at(line, 'e(t)'))!;
    assert.equal(found.column, at(line, 'S(q.body'));
    assert.match(found.how, /k ← S/);
  });

  it('gives no answer when a named function is called from two places', () => {
    const twice = `${line}app.get("/x",async()=>S(1,[]));`;
    assert.equal(anonymousCaller(twice, at(twice, 'e(t)')), undefined);
  });

  it('gives no answer when the wrapper calls its parameters in two places', () => {
    const two = line.replace('const r=await e(t);', 'const r=await e(t);e(t);');
    const found = anonymousCaller(two, at(two, 'I(l)'));
    assert.notEqual(found?.column, at(two, 'e(t)'));
  });

  it('skips strings and template literals that hold brackets and arrows', () => {
    const tricky = line.replace('"reserve"', '"re}serve=>{(("').replace('{held:a}', '{held:`${a}}}`}');
    assert.equal(anonymousCaller(tricky, at(tricky, 'I(l)'))?.column, at(tricky, 'e(t)'));
  });

  it('gives no answer outside any function', () => {
    assert.equal(anonymousCaller('var a=1;b(a);', 5), undefined);
  });
});
