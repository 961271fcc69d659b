import * as assert from 'node:assert/strict';
import { at, child, itemsOf, literal, parseYaml, type YamlNode } from '../../../../src/mapping/routes/yaml';
import { cfnJson, dedent, samTemplate } from './inputs';

/** A node as plain data, tags as `!Tag value`, to compare whole trees. */
function plain(n: YamlNode | undefined): unknown {
  if (!n) return undefined;
  const tag = n.tag !== undefined ? `!${n.tag} ` : '';
  if (n.kind === 'scalar') return tag ? `${tag}${n.value}` : n.value;
  if (n.kind === 'seq') return tag ? { [tag.trim()]: n.items.map(plain) } : n.items.map(plain);
  const obj = Object.fromEntries(n.entries.map((e) => [e.key, plain(e.value)]));
  return tag ? { [tag.trim()]: obj } : obj;
}

describe('mapping/routes/yaml', () => {
  it('reads block mappings, sequences, compact mappings in sequences and comments, with lines', () => {
    const doc = parseYaml(
      dedent(`
      # a comment line
      a: 1            # trailing comment
      b:
        - x
        - k: v
          k2: "w # not a comment"
      c:
      - at the key's column
      d: 'it''s'
    `),
    );
    assert.deepEqual(plain(doc), {
      a: '1',
      b: ['x', { k: 'v', k2: 'w # not a comment' }],
      c: ["at the key's column"],
      d: "it's",
    });
    assert.equal(child(doc, 'b')!.line, 4);
    assert.equal(itemsOf(child(doc, 'b'))[1]!.line, 5);
    assert.equal(at(doc, 'd')!.line, 9);
  });

  it('reads CloudFormation short-form tags as tagged nodes, in block and flow position, and after a line break', () => {
    const doc = parseYaml(
      dedent(`
      Role: !GetAtt [Role, Arn]
      Name: !Sub '\${AWS::StackName}-orders'
      Size: !If [IsProd, 1024, !Ref "AWS::NoValue"]
      Joined: !Join
        - '-'
        - [a, !Ref B]
      Empty: !GetAZs
      Long:
        Fn::Sub: x-\${Y}
    `),
    );
    assert.deepEqual(plain(doc), {
      Role: { '!GetAtt': ['Role', 'Arn'] },
      Name: '!Sub ${AWS::StackName}-orders',
      Size: { '!If': ['IsProd', '1024', '!Ref AWS::NoValue'] },
      Joined: { '!Join': ['-', ['a', '!Ref B']] },
      Empty: '!GetAZs ',
      Long: { 'Fn::Sub': 'x-${Y}' },
    });
    // A tagged value is not a literal: `FunctionName: !Ref X` names no function.
    assert.equal(literal(child(doc, 'Name')), undefined);
    assert.equal(literal(at(doc, 'Long', 'Fn::Sub')), 'x-${Y}');
  });

  it('reads block scalars: literal keeps lines, folded joins them, and the content line is known', () => {
    const doc = parseYaml(
      dedent(`
      Code: |
        exports.handler = async () => {
          return 1;
        };

      Text: >-
        one
        two

        three
      After: yes
    `),
    );
    assert.equal(literal(child(doc, 'Code')), 'exports.handler = async () => {\n  return 1;\n};\n');
    const code = child(doc, 'Code')!;
    assert.ok(code.kind === 'scalar' && code.line === 1 && code.contentLine === 2);
    assert.equal(literal(child(doc, 'Text')), 'one two\nthree');
    assert.equal(child(doc, 'After')!.line, 11);
  });

  it('reads flow collections over several lines, double-quoted escapes, anchors, aliases and merge keys', () => {
    const doc = parseYaml(
      dedent(`
      defaults: &defaults
        runtime: nodejs20.x
        memory: 128
      fn:
        <<: *defaults
        memory: 256
      methods: [
        GET,   # read
        "POST"
      ]
      env: { A: "tab\\there", B: 'x', C: }
      url: http://example.com:8080/a?b=c
    `),
    );
    assert.deepEqual(plain(child(doc, 'fn')), { memory: '256', runtime: 'nodejs20.x' });
    assert.deepEqual(plain(child(doc, 'methods')), ['GET', 'POST']);
    assert.deepEqual(plain(child(doc, 'env')), { A: 'tab\there', B: 'x', C: '' });
    assert.equal(literal(child(doc, 'url')), 'http://example.com:8080/a?b=c');
  });

  it('reads JSON, with the line of every key', () => {
    const doc = parseYaml(cfnJson);
    const props = at(doc, 'Resources', 'StockFunction', 'Properties');
    assert.equal(literal(child(props, 'Handler')), 'index.handler');
    assert.equal(literal(at(props, 'Code', 'ZipFile'))?.split('\n')[1], 'exports.handler = async (event) => {');
    assert.deepEqual(plain(child(props, 'Role')), { 'Fn::GetAtt': ['StockRole', 'Arn'] });
    const e = (child(at(doc, 'Resources'), 'Api') as YamlNode).line;
    assert.equal(cfnJson.split('\n')[e - 1]!.trim().startsWith('"Api"'), true);
  });

  it('reads a whole SAM template, CRLF line ends and a document marker', () => {
    const doc = parseYaml(`---\r\n${samTemplate.replace(/\n/g, '\r\n')}`);
    assert.equal(literal(at(doc, 'Resources', 'HelloFunction', 'Properties', 'Handler')), 'app.lambda_handler');
    assert.equal(literal(at(doc, 'Globals', 'Function', 'Runtime')), 'nodejs20.x');
  });

  it('never throws on malformed input, and keeps what it could read', () => {
    for (const bad of [
      'a: [1, 2',
      'a: "open',
      ':\n  - :',
      'key: value\n    stray: deeper\nnext: 2',
      '\t- x\n- y',
      '',
      '# only a comment',
      '{]',
      '- - - x',
    ]) {
      assert.doesNotThrow(() => parseYaml(bad), bad);
    }
    assert.equal(literal(child(parseYaml('key: value\n    stray line\nnext: 2'), 'next')), '2');
  });
});
