import * as assert from 'node:assert/strict';
import {
  handlerFunctionName,
  lambdaNameMatches,
  matchLambda,
  readTemplate,
  templateKind,
  templateRoutes,
  type LambdaFunction,
} from '../../../../src/mapping/routes/templates';
import { matchRoute } from '../../../../src/mapping/routes/match';
import { cfnJson, cfnYaml, dedent, lineOf, samTemplate, serverlessYml } from './inputs';

const fnOf = (fns: readonly LambdaFunction[], id: string) => {
  const f = fns.find((x) => x.id === id);
  assert.ok(f, `function ${id}`);
  return f;
};

describe('mapping/routes/templates', () => {
  it('knows templates and serverless.yml by name and content, and nothing else', () => {
    assert.equal(templateKind('infra/template.yaml', samTemplate), 'cloudformation');
    assert.equal(templateKind('stack.json', cfnJson), 'cloudformation');
    assert.equal(templateKind('catalog.yml', cfnYaml), 'cloudformation');
    assert.equal(templateKind('serverless.yml', serverlessYml), 'serverless');
    assert.equal(templateKind('docker-compose.yml', 'services:\n  web:\n    image: x\n'), undefined);
    assert.equal(templateKind('package.json', '{"name": "x"}'), undefined);
    assert.equal(
      templateKind('template.yaml', 'Transform: AWS::Serverless-2016-10-31\nResources: {}\n'),
      'cloudformation',
    );
    assert.equal(readTemplate('ci.yml', 'on: push\n'), undefined);
  });

  it('SAM: handler, runtime from Globals, CodeUri, names (literal, !Sub, generated) and the lines of each', () => {
    const t = readTemplate('sam-app/template.yaml', samTemplate)!;
    assert.equal(t.kind, 'sam');
    assert.deepEqual(
      t.functions.map((f) => f.id),
      ['GetOrderFunction', 'CreateOrderFunction', 'HelloFunction', 'JavaFunction'],
    );
    const get = fnOf(t.functions, 'GetOrderFunction');
    assert.equal(get.handler, 'handlers/orders.getOrder');
    assert.equal(get.handlerLine, lineOf(samTemplate, 'Handler: handlers/orders.getOrder'));
    assert.equal(get.line, lineOf(samTemplate, 'GetOrderFunction:'));
    assert.equal(get.runtime, 'nodejs20.x', 'from Globals');
    assert.equal(get.codeUri, 'src/');
    assert.equal(get.functionName, undefined);
    assert.equal(get.namePattern, '^.+-get-order$');
    const hello = fnOf(t.functions, 'HelloFunction');
    assert.equal(hello.runtime, 'python3.12', 'its own runtime over Globals');
    assert.equal(hello.functionName, 'hello-python');
    const create = fnOf(t.functions, 'CreateOrderFunction');
    assert.equal(create.generatedName, true);
    assert.equal(create.namePattern, '^.+-CreateOrderFunction-[A-Za-z0-9]+$');
    assert.equal(fnOf(t.functions, 'JavaFunction').handler, 'com.example.Handler::handleRequest');
  });

  it('SAM: Api events get their API stage (explicit, or Prod/Stage of the implicit API), HttpApi events none; SQS is no route', () => {
    const t = readTemplate('sam-app/template.yaml', samTemplate)!;
    const routes = templateRoutes(t);
    const summary = routes.map((r) => `${r.method} ${r.pattern} ${r.lambda} ${JSON.stringify(r.stages ?? null)}`);
    assert.deepEqual(summary, [
      'GET /orders/{id} GetOrderFunction ["prod"]',
      'POST /orders CreateOrderFunction ["prod"]',
      'ANY /hello HelloFunction ["Prod","Stage"]',
      'ANY $default HelloFunction null',
      'GET /items/{proxy+} JavaFunction null',
    ]);
    const get = routes[0]!;
    assert.equal(get.framework, 'apigateway');
    assert.equal(get.handler, 'getOrder');
    assert.deepEqual(get.declared, { path: 'sam-app/template.yaml', line: lineOf(samTemplate, 'GetOrder:') });
    assert.equal(t.apis[0]?.name, 'orders-api');
  });

  it('SAM: a route without a resolved handler sits at its event; with one, at the handler', () => {
    const t = readTemplate('sam-app/template.yaml', samTemplate)!;
    const [r] = templateRoutes(t, new Map([['GetOrderFunction', { path: 'sam-app/src/handlers/orders.ts', line: 4 }]]));
    assert.equal(r!.path, 'sam-app/src/handlers/orders.ts');
    assert.equal(r!.line, 4);
    assert.equal(r!.declared.path, 'sam-app/template.yaml');
  });

  it('CloudFormation JSON: inline ZipFile code, and a REST route rebuilt from Resource and Method resources with its Stage', () => {
    const t = readTemplate('inventory/template.json', cfnJson)!;
    assert.equal(t.kind, 'cloudformation');
    const fn = fnOf(t.functions, 'StockFunction');
    assert.equal(fn.handler, 'index.handler');
    assert.equal(fn.codeUri, undefined);
    assert.ok(fn.inlineCode?.text.includes('exports.handler'));
    assert.equal(fn.inlineCode?.block, false);
    assert.equal(fn.generatedName, true);
    const [r] = templateRoutes(t);
    assert.equal(`${r!.method} ${r!.pattern}`, 'GET /stock/{sku}');
    assert.deepEqual(r!.stages, ['v1']);
    assert.equal(r!.line, lineOf(cfnJson, '"GetSku"'));
    assert.deepEqual(
      t.apis.map((a) => `${a.name}/${JSON.stringify(a.stages)}`),
      ['inventory/["v1"]'],
    );
  });

  it('CloudFormation YAML with short-form tags: !Join name pattern, local Code folder, OpenAPI body routes, HTTP API route, a proxy route to no function', () => {
    const t = readTemplate('catalog.yaml', cfnYaml)!;
    const fn = fnOf(t.functions, 'CatalogFunction');
    assert.equal(fn.namePattern, '^catalog-.+$');
    assert.equal(fn.codeUri, './catalog');
    assert.equal(fn.runtime, 'python3.11');
    assert.deepEqual(
      fn.events.map((e) => `${e.type} ${e.method} ${e.path} ${JSON.stringify(e.stages ?? null)}`),
      ['OpenApi GET /products "any"', 'OpenApi GET /products/{id} "any"', 'HttpApiRoute GET /search null'],
    );
    assert.deepEqual(
      t.otherRoutes.map((e) => `${e.method} ${e.path}`),
      ['ANY /products/{id}'],
    );
    assert.equal(t.apis.find((a) => a.id === 'CatalogApi')?.namePattern, '^catalog-.+$');
  });

  it('serverless.yml: service, runtimes, literal and default names, http (string and map) and httpApi (string, map, *) events', () => {
    const t = readTemplate('users/serverless.yml', serverlessYml)!;
    assert.equal(t.kind, 'serverless');
    assert.deepEqual(t.service, { name: 'shop-users', line: 1 });
    const get = fnOf(t.functions, 'getUser');
    assert.equal(get.handler, 'src/users.get');
    assert.equal(get.runtime, 'nodejs18.x');
    assert.equal(get.namePattern, '^shop-users-.+-getUser$');
    assert.equal(fnOf(t.functions, 'createUser').functionName, 'shop-users-create');
    assert.equal(fnOf(t.functions, 'report').runtime, 'python3.12');
    assert.deepEqual(
      templateRoutes(t).map(
        (r) => `${r.method} ${r.pattern} ${r.lambda} ${JSON.stringify(r.stages ?? null)} @${r.line}`,
      ),
      [
        `GET /users/{id} getUser "any" @${lineOf(serverlessYml, 'http: GET users/{id}')}`,
        `POST /users createUser "any" @${lineOf(serverlessYml, '- http:', lineOf(serverlessYml, 'createUser:'))}`,
        `GET /reports/{day} report null @${lineOf(serverlessYml, "httpApi: 'GET")}`,
        `ANY /reports report null @${lineOf(serverlessYml, '- httpApi:', lineOf(serverlessYml, "httpApi: 'GET") + 1)}`,
      ],
    );
    assert.equal(templateRoutes(t)[0]!.framework, 'serverless');
  });

  it('serverless.yml: a literal stage is the one the REST API is deployed to, and names the API', () => {
    const t = readTemplate(
      'serverless.yml',
      dedent(`
      service: billing
      provider:
        name: aws
        stage: prod
      functions:
        pay:
          handler: pay.handler
          events:
            - http:
                path: pay
                method: POST
    `),
    )!;
    assert.deepEqual(templateRoutes(t)[0]!.stages, ['prod']);
    assert.equal(t.apis[0]?.name, 'prod-billing');
    assert.equal(
      matchRoute(templateRoutes(t), 'POST', 'https://x.execute-api.us-east-1.amazonaws.com/prod/pay')?.lambda,
      'pay',
    );
  });

  it('names the function a handler string calls, in every runtime', () => {
    assert.equal(handlerFunctionName('src/handlers/orders.handler'), 'handler');
    assert.equal(handlerFunctionName('app.lambda_handler'), 'lambda_handler');
    assert.equal(handlerFunctionName('com.example.Handler::handleRequest'), 'handleRequest');
    assert.equal(handlerFunctionName('com.example.Handler'), 'handleRequest');
    assert.equal(handlerFunctionName('com.example.Handler', 'java21'), 'handleRequest');
    assert.equal(handlerFunctionName('Orders::Orders.Function::FunctionHandler'), 'FunctionHandler');
  });

  it('matches Lambda segment names: literal, pattern, generated, and generated names CloudFormation shortened to 64 characters', () => {
    const t = readTemplate('sam-app/template.yaml', samTemplate)!;
    const fns = t.functions;
    assert.equal(matchLambda(fns, 'hello-python')?.id, 'HelloFunction');
    assert.equal(matchLambda(fns, 'orders-prod-get-order')?.id, 'GetOrderFunction');
    assert.equal(matchLambda(fns, 'orders-prod-CreateOrderFunction-Xk2J9aBc1D4e')?.id, 'CreateOrderFunction');
    assert.equal(matchLambda(fns, 'sam-app-JavaFunction-AbCdEf123456')?.id, 'JavaFunction');
    assert.equal(matchLambda(fns, 'hello-python-2'), undefined);
    assert.equal(matchLambda(fns, 'CreateOrderFunction'), undefined, 'the logical id alone is no function name');
    // CloudFormation shortens the stack name and the logical id to keep within 64 characters.
    const suffix = 'Xk2J9aBcDeFg';
    const long = `${'a-long-stack-name-'.repeat(4).slice(0, 64 - '-CreateOrd-'.length - suffix.length)}-CreateOrd-${suffix}`;
    const truncated = long.slice(20);
    assert.equal(long.length, 64);
    assert.ok(lambdaNameMatches(fnOf(fns, 'CreateOrderFunction'), long));
    assert.ok(!lambdaNameMatches(fnOf(fns, 'JavaFunction'), long));
    assert.ok(
      !lambdaNameMatches(fnOf(fns, 'CreateOrderFunction'), truncated),
      'a short name must hold the whole logical id',
    );
  });
});
