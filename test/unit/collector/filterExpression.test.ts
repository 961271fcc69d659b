import * as assert from 'node:assert/strict';
import { compileFilter, type ServiceFacts, type TraceFacts } from '../../../src/collector/filterExpression';

/** A successful GET that took 1.5 s (2.5 s end to end) through an api and a Lambda function. */
function facts(over: Partial<TraceFacts> = {}): TraceFacts {
  return {
    ok: true,
    error: false,
    fault: false,
    throttle: false,
    responseTimeSec: 1.5,
    durationSec: 2.5,
    http: { status: 200, url: 'https://api.example.com/v2/orders?id=7', method: 'GET' },
    users: ['alice'],
    annotations: {},
    services: [],
    ...over,
  };
}

function service(name: string, over: Partial<ServiceFacts> = {}): ServiceFacts {
  return {
    name,
    ok: true,
    error: false,
    fault: false,
    throttle: false,
    responseTimeSec: 0.5,
    durationSec: 0.5,
    ...over,
  };
}

/** Compiles (which must succeed) and evaluates. */
function matches(expression: string, f: TraceFacts = facts()): boolean {
  const r = compileFilter(expression);
  if (!r.ok) assert.fail(`${JSON.stringify(expression)} did not compile: ${r.message}`);
  return r.filter(f);
}

/** Compiles, which must fail; the message must name the position it reports. */
function failure(expression: string): { message: string; position: number } {
  const r = compileFilter(expression);
  if (r.ok) return assert.fail(`${JSON.stringify(expression)} compiled`);
  assert.match(r.message, new RegExp(`at position ${r.position}\\b`), r.message);
  return { message: r.message, position: r.position };
}

const failing = facts({
  ok: false,
  fault: true,
  http: { status: 503, url: 'https://api.example.com/v1/pay', method: 'POST' },
});

describe('collector/filterExpression', () => {
  describe('empty expressions', () => {
    it('match everything', () => {
      for (const e of ['', '   ', '\n\t ']) {
        assert.equal(matches(e), true);
        assert.equal(matches(e, failing), true);
      }
    });
  });

  describe('boolean keywords', () => {
    it('ok, error, fault and throttle alone are their value', () => {
      const f = facts({ ok: false, error: true, fault: false, throttle: true });
      assert.deepEqual(
        ['ok', 'error', 'fault', 'throttle'].map((k) => matches(k, f)),
        [false, true, false, true],
      );
      assert.deepEqual(
        ['ok', 'error', 'fault', 'throttle'].map((k) => matches(k)),
        [true, false, false, false],
      );
    });

    it('compare with = and != to true or false, bare or quoted', () => {
      assert.equal(matches('fault = true', failing), true);
      assert.equal(matches('fault = false', failing), false);
      assert.equal(matches('fault != true', failing), false);
      assert.equal(matches('fault != false', failing), true);
      assert.equal(matches('error = false'), true);
      assert.equal(matches('ok = TRUE'), true);
      assert.equal(matches('throttle = "false"'), true);
      assert.equal(matches('ok=false'), false);
    });

    it('negate with !, NOT and not', () => {
      assert.equal(matches('!fault'), true);
      assert.equal(matches('!fault', failing), false);
      assert.equal(matches('NOT ok', failing), true);
      assert.equal(matches('not ok'), false);
      assert.equal(matches('!!fault', failing), true);
    });
  });

  describe('number keywords', () => {
    const cases: [string, boolean][] = [
      ['= 1.5', true],
      ['!= 1.5', false],
      ['< 1.5', false],
      ['<= 1.5', true],
      ['> 1', true],
      ['>= 2', false],
      ['> 1.6', false],
      ['< 2', true],
      ['!= 2', true],
      ['= 2', false],
    ];
    for (const [rest, want] of cases) {
      it(`responsetime ${rest} is ${want} for 1.5 s`, () => assert.equal(matches(`responsetime ${rest}`), want));
    }

    it('duration compares the end-to-end time, not the response time', () => {
      assert.equal(matches('duration > 2'), true);
      assert.equal(matches('responsetime > 2'), false);
      assert.equal(matches('duration >= 2.5 AND duration <= 2.5'), true);
      assert.equal(matches('duration >= 5 AND duration <= 8'), false);
    });

    it('http.status takes every number operator', () => {
      assert.equal(matches('http.status = 503', failing), true);
      assert.equal(matches('http.status != 200', failing), true);
      assert.equal(matches('http.status >= 500 AND http.status < 600', failing), true);
      assert.equal(matches('http.status <= 299'), true);
      assert.equal(matches('http.status > 200'), false);
    });

    it('reads decimals, leading dots, negatives and exponents', () => {
      assert.equal(matches('responsetime > .5'), true);
      assert.equal(matches('responsetime > 0.25'), true);
      assert.equal(matches('responsetime > -1'), true);
      assert.equal(matches('responsetime>-.5'), true);
      assert.equal(matches('responsetime < 1e1'), true);
      assert.equal(matches('http.status = 2E2'), true);
    });

    it('a comparison with a missing fact is false and its negation true', () => {
      const bare = facts({ responseTimeSec: undefined, durationSec: undefined, http: {} });
      assert.equal(matches('http.status = 500', bare), false);
      assert.equal(matches('http.status != 500', bare), true);
      assert.equal(matches('!(http.status = 500)', bare), true);
      assert.equal(matches('responsetime < 1', bare), false);
      assert.equal(matches('responsetime >= 0', bare), false);
      assert.equal(matches('duration > 0 OR duration <= 0', bare), false);
    });

    it('alone, a number keyword tests that the fact is set', () => {
      assert.equal(matches('http.status'), true);
      assert.equal(matches('responsetime', facts({ responseTimeSec: undefined })), false);
      assert.equal(matches('!duration', facts({ durationSec: undefined })), true);
    });
  });

  describe('string keywords', () => {
    it('http.url takes =, !=, CONTAINS, BEGINSWITH and ENDSWITH', () => {
      assert.equal(matches('http.url = "https://api.example.com/v2/orders?id=7"'), true);
      assert.equal(matches('http.url != "https://api.example.com/v2/orders?id=7"'), false);
      assert.equal(matches('http.url CONTAINS "/v2/"'), true);
      assert.equal(matches('http.url CONTAINS "/v3/"'), false);
      assert.equal(matches('http.url BEGINSWITH "https://api.example.com/"'), true);
      assert.equal(matches('http.url BEGINSWITH "http://"'), false);
      assert.equal(matches('http.url ENDSWITH "id=7"'), true);
      assert.equal(matches('http.url ENDSWITH "id=8"'), false);
    });

    it('the word operators are case-insensitive, the values are not', () => {
      assert.equal(matches('http.url contains "/v2/"'), true);
      assert.equal(matches('http.url BeginsWith "https"'), true);
      assert.equal(matches('http.url endsWITH "7"'), true);
      assert.equal(matches('http.method = "GET"'), true);
      assert.equal(matches('http.method = "get"'), false);
    });

    it('http.method and user compare like the others', () => {
      assert.equal(matches('http.method = "POST"', failing), true);
      assert.equal(matches('http.method != "GET"', failing), true);
      assert.equal(matches('user = "alice"'), true);
      assert.equal(matches('user BEGINSWITH "ali"'), true);
      assert.equal(matches('user ENDSWITH "bob"'), false);
    });

    it("user matches any segment's user, and != is the negation of =", () => {
      const two = facts({ users: ['alice', 'bob'] });
      assert.equal(matches('user = "bob"', two), true);
      assert.equal(matches('user != "bob"', two), false);
      assert.equal(matches('user != "carol"', two), true);
      assert.equal(matches('user = "alice" AND user = "bob"', two), true);
    });

    it('CONTAINS "" and the keyword alone test that the field is set, as X-Ray documents', () => {
      const anonymous = facts({ users: [], http: { status: 200 } });
      assert.equal(matches('user CONTAINS ""'), true);
      assert.equal(matches('user CONTAINS ""', anonymous), false);
      assert.equal(matches('http.url AND responseTime > 1'), true);
      assert.equal(matches('http.url', anonymous), false);
      assert.equal(matches('!http.method', anonymous), true);
      assert.equal(matches('http.url != "x"', anonymous), true);
    });

    it('decodes backslash escapes in string literals', () => {
      const f = facts({ users: ['say "hi"', 'back\\slash', 'line\nbreak', 'café', 'a/b\tc'] });
      assert.equal(matches('user = "say \\"hi\\""', f), true);
      assert.equal(matches('user = "back\\\\slash"', f), true);
      assert.equal(matches('user = "line\\nbreak"', f), true);
      assert.equal(matches('user = "caf\\u00e9"', f), true);
      assert.equal(matches('user = "caf\\u00E9"', f), true);
      assert.equal(matches('user = "a\\/b\\tc"', f), true);
      assert.equal(compileFilter('user = "back\\slash"').ok, false);
    });

    it('keeps characters that look like syntax inside strings', () => {
      const f = facts({ users: ['a AND (b) OR { c } = != "'] });
      assert.equal(matches('user = "a AND (b) OR { c } = != \\""', f), true);
    });
  });

  describe('keywords are case-insensitive', () => {
    it('in any mix of case', () => {
      assert.equal(matches('ResponseTime > 1'), true);
      assert.equal(matches('HTTP.STATUS = 200'), true);
      assert.equal(matches('FAULT', failing), true);
      assert.equal(matches('Http.Url CONTAINS "orders"'), true);
      assert.equal(matches('SERVICE("api")', facts({ services: [service('api')] })), true);
    });
  });

  describe('annotations', () => {
    const f = facts({
      annotations: {
        gameid: ['817DL6VO'],
        age: [31],
        premium: [true],
        retry: [false],
        tier: ['gold', 'silver'],
        mixed: ['5', 7],
        'dotted.key': ['x'],
        'with space': ['y'],
      },
    });

    it('compares string values with every string operator', () => {
      assert.equal(matches('annotation.gameid = "817DL6VO"', f), true);
      assert.equal(matches('annotation.gameid != "817DL6VO"', f), false);
      assert.equal(matches('annotation.gameid CONTAINS "DL6"', f), true);
      assert.equal(matches('annotation.gameid BEGINSWITH "817"', f), true);
      assert.equal(matches('annotation.gameid ENDSWITH "VO"', f), true);
      assert.equal(matches('annotation.gameid ENDSWITH "vo"', f), false);
    });

    it('compares number values with every number operator', () => {
      assert.equal(matches('annotation.age > 29', f), true);
      assert.equal(matches('annotation.age >= 31 AND annotation.age <= 31', f), true);
      assert.equal(matches('annotation.age < 31', f), false);
      assert.equal(matches('annotation.age = 31', f), true);
      assert.equal(matches('annotation.age != 31', f), false);
      assert.equal(matches('annotation.age = 31.0', f), true);
    });

    it('compares boolean values with = and !=', () => {
      assert.equal(matches('annotation.premium = true', f), true);
      assert.equal(matches('annotation.premium = false', f), false);
      assert.equal(matches('annotation.retry = false', f), true);
      assert.equal(matches('annotation.retry != false', f), false);
    });

    it("only matches values of the literal's type", () => {
      assert.equal(matches('annotation.age = "31"', f), false);
      assert.equal(matches('annotation.mixed = 5', f), false);
      assert.equal(matches('annotation.mixed = "5"', f), true);
      assert.equal(matches('annotation.mixed > 6', f), true);
      assert.equal(matches('annotation.gameid > 1', f), false);
      assert.equal(matches('annotation.premium = "true"', f), false);
    });

    it('matches when any segment has the key with a matching value', () => {
      assert.equal(matches('annotation.tier = "silver"', f), true);
      assert.equal(matches('annotation.tier = "gold"', f), true);
      assert.equal(matches('annotation.tier != "gold"', f), false);
      assert.equal(matches('annotation.tier = "bronze"', f), false);
    });

    it('alone tests that the key is set; a boolean annotation is its value', () => {
      assert.equal(matches('annotation.age', f), true);
      assert.equal(matches('!annotation.age', f), false);
      assert.equal(matches('annotation.height', f), false);
      assert.equal(matches('!annotation.height', f), true);
      assert.equal(matches('annotation.premium', f), true);
      assert.equal(matches('annotation.retry', f), false);
      assert.equal(matches('annotation.empty', facts({ annotations: { empty: [] } })), false);
    });

    it('a missing key fails every comparison except !=', () => {
      assert.equal(matches('annotation.nope = "x"', f), false);
      assert.equal(matches('annotation.nope > 1', f), false);
      assert.equal(matches('annotation.nope != "x"', f), true);
    });

    it('accepts the bracket form, bare or quoted, and keys are case-sensitive', () => {
      assert.equal(matches('annotation[gameid] = "817DL6VO"', f), true);
      assert.equal(matches('annotation[ gameid ] = "817DL6VO"', f), true);
      assert.equal(matches('annotation[dotted.key] = "x"', f), true);
      assert.equal(matches('annotation.dotted.key = "x"', f), true);
      assert.equal(matches('annotation["with space"] = "y"', f), true);
      assert.equal(matches('annotation[with space]', f), true);
      assert.equal(matches('annotation.GameId', f), false);
      assert.equal(matches('ANNOTATION.gameid', f), true);
    });

    it('does not find Object.prototype members', () => {
      assert.equal(matches('annotation.constructor', f), false);
      assert.equal(matches('annotation[__proto__]', f), false);
      assert.equal(matches('annotation.toString != "x"', f), true);
    });
  });

  describe('service()', () => {
    const f = facts({
      services: [
        service('api', { type: 'AWS::EC2::Instance', responseTimeSec: 3 }),
        service('random-name', { type: 'AWS::Lambda', ok: false, error: true }),
        service('random-name', { type: 'AWS::Lambda::Function', ok: false, fault: true, responseTimeSec: 0.2 }),
        service('payments', { throttle: true, ok: false, durationSec: 4 }),
      ],
    });

    it('service("name") is true when the trace touches that service', () => {
      assert.equal(matches('service("api")', f), true);
      assert.equal(matches('service("API")', f), false);
      assert.equal(matches('service("backend")', f), false);
      assert.equal(matches('!service("backend")', f), true);
      assert.equal(matches('NOT service("api")', f), false);
    });

    it('service() is true when the trace has any service', () => {
      assert.equal(matches('service()', f), true);
      assert.equal(matches('service()'), false);
    });

    it('service("name") { filter } applies the filter to that service only', () => {
      assert.equal(matches('service("random-name") { fault }', f), true);
      assert.equal(matches('service("api") { fault }', f), false);
      assert.equal(matches('service("api") { responsetime > 2 }', f), true);
      assert.equal(matches('service("random-name") { responsetime > 2 }', f), false);
      assert.equal(matches('service("payments") { throttle AND duration >= 4 }', f), true);
      assert.equal(matches('service("payments") { ok }', f), false);
      assert.equal(matches('service("payments") { !ok }', f), true);
    });

    it('the filter must hold on one service, not across several', () => {
      // One random-name has the error, the other the fault.
      assert.equal(matches('service("random-name") { error AND fault }', f), false);
      assert.equal(matches('service("random-name") { error OR fault }', f), true);
      assert.equal(matches('service("random-name") { error } AND service("random-name") { fault }', f), true);
    });

    it('service() { filter } applies the filter to every service', () => {
      assert.equal(matches('service() { fault }', f), true);
      assert.equal(matches('service() { responsetime > 5 }', f), false);
      assert.equal(matches('!service() { fault }', f), false);
    });

    it('name and type are keywords inside the braces', () => {
      assert.equal(matches('service() { name BEGINSWITH "pay" AND throttle }', f), true);
      assert.equal(matches('service() { type = "AWS::EC2::Instance" AND responsetime > 2 }', f), true);
      assert.equal(matches('service() { type CONTAINS "Lambda" AND fault }', f), true);
      assert.equal(matches('service() { type = "AWS::S3" }', f), false);
    });

    it('id(name, type) narrows to the service of that type', () => {
      assert.equal(matches('service(id(name: "random-name", type: "AWS::Lambda::Function")) { fault }', f), true);
      assert.equal(matches('service(id(name: "random-name", type: "AWS::Lambda::Function")) { error }', f), false);
      assert.equal(matches('service(id(type: "AWS::Lambda::Function", name: "random-name"))', f), true);
      assert.equal(matches('service(id(type: "AWS::Lambda")) { error }', f), true);
      assert.equal(matches('service(id(name: "api"))', f), true);
      assert.equal(matches('service(id(name: "payments", type: "AWS::EC2::Instance"))', f), false);
    });

    it("combines with trace keywords as in X-Ray's examples", () => {
      const g = facts({ ...f, annotations: { account: ['12345'] } });
      assert.equal(
        matches('service("api") { fault = true OR responsetime > 2.5 } AND annotation.account = "12345"', g),
        true,
      );
      assert.equal(
        matches('service("api") { fault = true OR responsetime > 2.5 } AND annotation.account = "54321"', g),
        false,
      );
      assert.equal(
        matches(
          'http.url BEGINSWITH "https://api.example.com/" AND http.url CONTAINS "/v2/" AND !service("api.example.com")',
          g,
        ),
        true,
      );
    });
  });

  describe('logic', () => {
    it('AND, OR and NOT in any case, and &&, || and !', () => {
      assert.equal(matches('ok AND responsetime > 1'), true);
      assert.equal(matches('ok and fault'), false);
      assert.equal(matches('ok And fault OR ok'), true);
      assert.equal(matches('fault or error'), false);
      assert.equal(matches('fault OR ok'), true);
      assert.equal(matches('ok && !fault'), true);
      assert.equal(matches('fault || error'), false);
      assert.equal(matches('fault||ok&&!error'), true);
      assert.equal(matches('Not fault'), true);
    });

    it('NOT binds tighter than AND, which binds tighter than OR', () => {
      // fault OR (error AND ok): false OR (false AND true)
      assert.equal(matches('ok OR fault AND error'), true);
      assert.equal(matches('(ok OR fault) AND error'), false);
      assert.equal(matches('fault AND error OR ok'), true);
      assert.equal(matches('fault AND (error OR ok)'), false);
      // (NOT fault) AND error, not NOT (fault AND error)
      assert.equal(matches('NOT fault AND error'), false);
      assert.equal(matches('NOT (fault AND error)'), true);
      assert.equal(matches('!fault OR fault'), true);
      assert.equal(matches('! responsetime > 1'), false);
    });

    it('parentheses nest', () => {
      assert.equal(matches('((ok))'), true);
      assert.equal(matches('(fault OR (error OR (throttle OR (ok AND http.status = 200))))'), true);
      assert.equal(matches('!(ok AND !(fault))'), false);
    });

    it("juxtaposed conditions are ANDed, as in X-Ray's `ok !partial duration <3`", () => {
      assert.equal(matches('ok !fault duration <3'), true);
      assert.equal(matches('ok !fault duration <2'), false);
      assert.equal(
        matches(
          'service("api") { fault } service("db")',
          facts({ services: [service('api', { fault: true }), service('db')] }),
        ),
        true,
      );
    });

    it('accepts whitespace anywhere between tokens, or none', () => {
      assert.equal(matches('  http.status>=200&&http.status<300  '), true);
      assert.equal(
        matches('\tservice ( "api" ) {\n fault }\r\n', facts({ services: [service('api', { fault: true })] })),
        true,
      );
    });
  });

  describe('invalid expressions', () => {
    const supported =
      'ok, error, fault, throttle, responsetime, duration, http.status, http.url, http.method, user, annotation.KEY, annotation[KEY], service(…)';
    const cases: [string, string, number][] = [
      ['responsetime >', "Expected a value after '>' at position 14, found end of expression", 14],
      ['foo = 1', `Unknown keyword 'foo' at position 0; supported keywords: ${supported}`, 0],
      [
        'ok AND partial',
        `Keyword 'partial' at position 7 is not supported by the local X-Ray; supported keywords: ${supported}`,
        7,
      ],
      [
        'edge("a", "b") { error }',
        `Keyword 'edge' at position 0 is not supported by the local X-Ray; supported keywords: ${supported}`,
        0,
      ],
      [
        'rootcause.fault.service { name = "Auth" }',
        `Keyword 'rootcause.fault.service' at position 0 is not supported by the local X-Ray; supported keywords: ${supported}`,
        0,
      ],
      [
        'name = "api"',
        `Keyword 'name' at position 0 applies to a service; use it inside service() { }, as in service() { name = "…" }; supported keywords: ${supported}`,
        0,
      ],
      [
        'id(name: "x")',
        `Keyword 'id' at position 0 names a service; use it as service(id(name: "…", type: "…")); supported keywords: ${supported}`,
        0,
      ],
      ['fault > 1', "Expected = or != after boolean keyword 'fault' at position 6, found '>'", 6],
      ['fault = 1', "Expected true or false after '=' at position 8, found number 1", 8],
      ['fault = "yes"', 'Expected true or false after \'=\' at position 8, found string "yes"', 8],
      [
        'http.url < "a"',
        "Expected one of =, !=, CONTAINS, BEGINSWITH, ENDSWITH after string keyword 'http.url' at position 9, found '<'",
        9,
      ],
      [
        'responsetime CONTAINS "1"',
        "Expected one of =, !=, <, <=, >, >= after number keyword 'responsetime' at position 13, found 'CONTAINS'",
        13,
      ],
      ['http.status = "500"', 'Expected a number after \'=\' at position 14, found string "500"', 14],
      ['user = 42', "Expected a quoted string after '=' at position 7, found number 42", 7],
      [
        'http.method = GET',
        "Expected a value after '=' at position 14, found 'GET'; string values go in double quotes",
        14,
      ],
      ['http.url "x"', 'Expected an operator after \'http.url\' at position 9, found string "x"', 9],
      ['(fault OR error', "Expected ')' at position 15 to close '(' at position 0, found end of expression", 15],
      ['fault)', "Unmatched ')' at position 5", 5],
      ['fault = true false', "Expected AND, OR or end of expression at position 13, found 'false'", 13],
      ['fault AND', "Expected a keyword or '(' after 'AND' at position 9, found end of expression", 9],
      ['OR fault', "Expected a keyword or '(' at position 0, found 'OR'", 0],
      ['()', "Expected a keyword or '(' after '(' at position 1, found ')'", 1],
      ['!', "Expected a keyword or '(' after '!' at position 1, found end of expression", 1],
      ['= 5', "Expected a keyword or '(' at position 0, found '='", 0],
      ['http.url = "abc', `Unterminated string starting at position 11; close it with '"'`, 11],
      ['user = "a\\qb"', "Unknown escape '\\q' at position 9; use \\\", \\\\, \\n, \\t, \\r or \\uXXXX", 9],
      ['user = "\\u12"', 'Expected four hex digits after \'\\u\' at position 8, found "12\\""', 8],
      ["user = 'x'", `Unexpected "'" at position 7; strings go in double quotes`, 7],
      ['fault & error', "Unexpected '&' at position 6; write '&&' or AND", 6],
      ['fault | error', "Unexpected '|' at position 6; write '||' or OR", 6],
      ['fault # x', 'Unexpected character "#" at position 6', 6],
      [
        'responsetime > 5s',
        "Invalid number '5s' at position 15; numbers are plain decimals (seconds for times), such as 5 or 0.25",
        15,
      ],
      [
        'responsetime > 1.2.3',
        "Invalid number '1.2.3' at position 15; numbers are plain decimals (seconds for times), such as 5 or 0.25",
        15,
      ],
      ['responsetime > 1e999', 'Number 1e999 at position 15 is out of range', 15],
      ['annotation.k > "x"', 'Expected a number after \'>\' at position 15, found string "x"', 15],
      ['annotation.k CONTAINS 5', "Expected a quoted string after 'CONTAINS' at position 22, found number 5", 22],
      ['annotation. = 1', "Expected an annotation key after 'annotation.' at position 11, found '='", 11],
      ['annotation = 1', "Expected '[KEY]' or '.KEY' after 'annotation' at position 11, found '='", 11],
      ['annotation[] = 1', "Expected an annotation key inside '[ ]' at position 10", 10],
      ['annotation[k = 1', "Unterminated '[' at position 10; close the annotation key with ']'", 10],
      ['annotation["k" x] = 1', "Expected ']' to close '[' at position 15, found \"x\"", 15],
      ['fault]', "Unexpected ']' at position 5 without an opening '['", 5],
      ['service', "Expected '(' after 'service' at position 7, found end of expression", 7],
      ['service(api)', "Expected a quoted service name, id(…) or ')' after 'service(' at position 8, found 'api'", 8],
      ['service("a", "b")', "Expected ')' at position 11 to close 'service(' at position 0, found ','", 11],
      ['service("a") { fault', "Expected '}' at position 20 to close '{' at position 13, found end of expression", 20],
      ['service("a") { }', "Expected a keyword or '(' after '{' at position 15, found '}'", 15],
      [
        'service("a") { http.status = 500 }',
        "Keyword 'http.status' at position 15 can't be used inside service() { }; supported keywords: ok, error, fault, throttle, responsetime, duration, name, type",
        15,
      ],
      [
        'service() { service("b") }',
        "Keyword 'service' at position 12 can't be used inside service() { }; supported keywords: ok, error, fault, throttle, responsetime, duration, name, type",
        12,
      ],
      [
        'service() { annotation.x = 1 }',
        "Keyword 'annotation.x' at position 12 can't be used inside service() { }; supported keywords: ok, error, fault, throttle, responsetime, duration, name, type",
        12,
      ],
      [
        'service() { bogus }',
        "Unknown keyword 'bogus' at position 12; supported keywords: ok, error, fault, throttle, responsetime, duration, name, type",
        12,
      ],
      ['service(id(nam: "x"))', "Expected name: or type: in id( at position 11, found 'nam'", 11],
      ['service(id())', "Expected name: or type: in id( at position 11, found ')'", 11],
      ['service(id(name "x"))', "Expected ':' after 'name' at position 16, found string \"x\"", 16],
      ['service(id(name: x))', "Expected a quoted string after 'name:' at position 17, found 'x'", 17],
      ['service(id(name: "a", name: "b"))', "'name' is given twice in id( at position 22", 22],
      ['service(id(name: "a"', "Expected ')' at position 20 to close 'id(' at position 8, found end of expression", 20],
    ];
    for (const [expression, message, position] of cases) {
      it(`rejects ${expression}`, () => {
        assert.deepEqual(compileFilter(expression), { ok: false, message, position });
        failure(expression);
      });
    }

    it('rejects a value that is not a string without throwing', () => {
      assert.deepEqual(compileFilter(42 as unknown as string), {
        ok: false,
        message: 'The filter expression must be a string',
        position: 0,
      });
      assert.equal(compileFilter(undefined as unknown as string).ok, false);
    });

    it('reports the first error in source order', () => {
      // The bad escape comes later than the missing value, so the missing value is reported.
      assert.equal(failure('responsetime > AND user = "\\q"').position, 15);
    });

    it('cuts long tokens in messages', () => {
      const long = 'x'.repeat(500);
      const { message } = failure(`${long} = 1`);
      assert.ok(message.length < 400, message);
      assert.ok(message.includes(`'${'x'.repeat(40)}…'`), message);
      const s = failure(`http.status = "${long}"`).message;
      assert.ok(s.length < 200, s);
    });
  });

  describe('pathological input', () => {
    it('rejects an expression longer than 10,000 characters with a clear message', () => {
      const r = compileFilter(`fault OR ${'ok OR '.repeat(2000)}ok`);
      assert.equal(r.ok, false);
      assert.deepEqual(r, {
        ok: false,
        message: 'The filter expression is 12011 characters long; the limit is 10000 (stopped at position 10000)',
        position: 10000,
      });
      assert.equal(compileFilter('('.repeat(5_000_000)).ok, false);
    });

    it('compiles and evaluates a long flat expression up to the limit', () => {
      const wide = Array.from({ length: 550 }, (_, i) => `http.status=${i}`).join('||');
      assert.ok(wide.length <= 10_000 && wide.length > 9_000);
      assert.equal(matches(wide), true);
      assert.equal(matches(wide, facts({ http: { status: 5000 } })), false);
      const all = Array.from({ length: 1600 }, () => 'ok').join(' && ');
      assert.equal(matches(all), true);
    });

    it('caps nesting at 50 levels', () => {
      assert.equal(matches(`${'('.repeat(50)}ok${')'.repeat(50)}`), true);
      assert.deepEqual(compileFilter(`${'('.repeat(51)}ok${')'.repeat(51)}`), {
        ok: false,
        message:
          'The expression nests deeper than 50 levels at position 50 (parentheses, NOT and service braces each count)',
        position: 50,
      });
      assert.equal(failure('('.repeat(9_999)).position, 50);
    });

    it('counts NOT and ! as levels, so long chains fail instead of overflowing the stack', () => {
      assert.equal(matches(`${'!'.repeat(50)}fault`, failing), true);
      assert.equal(matches(`${'!'.repeat(49)}fault`, failing), false);
      assert.equal(failure(`${'!'.repeat(9_000)}fault`).position, 50);
      assert.equal(failure(`${'NOT '.repeat(2_000)}fault`).position, 200);
      assert.equal(failure(`${'!('.repeat(4_000)}ok`).position, 50);
    });

    it('scans long strings, escapes and words in linear time', () => {
      const started = Date.now();
      const escapes = '\\"'.repeat(4_900);
      assert.equal(matches(`user = "${escapes}"`, facts({ users: ['"'.repeat(4_900)] })), true);
      assert.equal(failure(`user = "${'\\n'.repeat(4_990)}`).position, 7);
      assert.equal(failure(`${'a'.repeat(9_990)} = 1`).position, 0);
      assert.equal(failure(`annotation[${'k'.repeat(9_980)}`).position, 10);
      assert.equal(failure(`responsetime > ${'9'.repeat(9_980)}x`).position, 15);
      for (let i = 0; i < 50; i++) compileFilter(`user = "${escapes}" AND ${'('.repeat(40)}ok${')'.repeat(40)}`);
      assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
    });
  });
});
