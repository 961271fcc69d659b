import * as assert from 'node:assert/strict';
import { findJsExport, findMethod, findPythonFunction } from '../../../../src/mapping/routes/functions';
import { resolveHandler, WorkspacePaths } from '../../../../src/mapping/routes/handlers';
import { readTemplate, type LambdaFunction } from '../../../../src/mapping/routes/templates';
import {
  cfnJson,
  cfnSearchPy,
  cfnYaml,
  dedent,
  lineOf,
  samHandlerJava,
  samHelloPy,
  samOrdersTs,
  samTemplate,
  serverlessYml,
  slsReportPy,
  slsUsersJs,
} from './inputs';

/** A workspace as path → text. */
function workspace(files: Record<string, string>) {
  return { paths: new WorkspacePaths(Object.keys(files)), read: (p: string) => files[p] };
}

const fn = (template: string, text: string, id: string): LambdaFunction =>
  readTemplate(template, text)!.functions.find((f) => f.id === id)!;

describe('mapping/routes/handlers', () => {
  const sam = workspace({
    'sam-app/template.yaml': samTemplate,
    'sam-app/src/handlers/orders.ts': samOrdersTs,
    'sam-app/hello_world/app.py': samHelloPy,
    'sam-app/HelloJava/src/main/java/com/example/Handler.java': samHandlerJava,
    'sam-app/HelloJava/src/main/java/com/example/Items.java':
      'class Items { String handleRequest(Map m) { return ""; } }',
  });

  it('Node: CodeUri + module path + export, TypeScript source for an esbuild-built function', () => {
    const h = resolveHandler(fn('sam-app/template.yaml', samTemplate, 'GetOrderFunction'), sam.paths, sam.read);
    assert.deepEqual(h, {
      path: 'sam-app/src/handlers/orders.ts',
      line: lineOf(samOrdersTs, 'export const getOrder'),
      functionName: 'getOrder',
      precision: 'function',
      detail: `handlers/orders.getOrder → src/handlers/orders.ts:${lineOf(samOrdersTs, 'export const getOrder')}`,
    });
    assert.equal(
      resolveHandler(fn('sam-app/template.yaml', samTemplate, 'CreateOrderFunction'), sam.paths, sam.read)?.line,
      lineOf(samOrdersTs, 'export async function createOrder'),
    );
  });

  it('Python: module path + def', () => {
    const h = resolveHandler(fn('sam-app/template.yaml', samTemplate, 'HelloFunction'), sam.paths, sam.read);
    assert.equal(h?.path, 'sam-app/hello_world/app.py');
    assert.equal(h?.line, lineOf(samHelloPy, 'def lambda_handler'));
  });

  it('Java: the class file under the code folder (src/main/java/…) and the method declaration, not a call of the same name', () => {
    const h = resolveHandler(fn('sam-app/template.yaml', samTemplate, 'JavaFunction'), sam.paths, sam.read);
    assert.equal(h?.path, 'sam-app/HelloJava/src/main/java/com/example/Handler.java');
    assert.equal(h?.line, lineOf(samHandlerJava, 'public String handleRequest'));
  });

  it('Python package modules (api.search.main) under a CloudFormation Code folder', () => {
    const ws = workspace({
      'cfn/catalog.yaml': cfnYaml,
      'cfn/catalog/api/search.py': cfnSearchPy,
      'cfn/catalog/api/index.py': '',
    });
    const h = resolveHandler(fn('cfn/catalog.yaml', cfnYaml, 'CatalogFunction'), ws.paths, ws.read);
    assert.equal(h?.path, 'cfn/catalog/api/search.py');
    assert.equal(h?.line, lineOf(cfnSearchPy, 'def main'));
  });

  it('inline code: the template itself, on the line of the string (JSON) or of the function inside a block scalar (YAML)', () => {
    const ws = workspace({ 'inventory/template.json': cfnJson });
    const json = resolveHandler(fn('inventory/template.json', cfnJson, 'StockFunction'), ws.paths, ws.read);
    assert.equal(json?.path, 'inventory/template.json');
    assert.equal(json?.line, lineOf(cfnJson, '"ZipFile"'));
    const yaml = dedent(`
      AWSTemplateFormatVersion: '2010-09-09'
      Resources:
        Fn:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: python3.12
            Handler: index.handler
            Code:
              ZipFile: |
                import json

                def handler(event, context):
                    return {"statusCode": 200}
    `);
    const y = resolveHandler(fn('t.yaml', yaml, 'Fn'), new WorkspacePaths(['t.yaml']), () => yaml);
    assert.equal(y?.line, lineOf(yaml, 'def handler'));
  });

  it('serverless.yml: handlers relative to the service folder, a CommonJS object export, a per-function runtime', () => {
    const ws = workspace({
      'users/serverless.yml': serverlessYml,
      'users/src/users.js': slsUsersJs,
      'users/reports/handler.py': slsReportPy,
    });
    const get = resolveHandler(fn('users/serverless.yml', serverlessYml, 'getUser'), ws.paths, ws.read);
    assert.equal(
      get?.line,
      lineOf(slsUsersJs, 'async function get'),
      'module.exports = { get } points at the declaration',
    );
    assert.equal(
      resolveHandler(fn('users/serverless.yml', serverlessYml, 'createUser'), ws.paths, ws.read)?.line,
      lineOf(slsUsersJs, 'const create'),
    );
    assert.equal(
      resolveHandler(fn('users/serverless.yml', serverlessYml, 'report'), ws.paths, ws.read)?.path,
      'users/reports/handler.py',
    );
  });

  it('a handler path through a build folder finds the source by the rest of its path', () => {
    const t = dedent(`
      AWSTemplateFormatVersion: '2010-09-09'
      Transform: AWS::Serverless-2016-10-31
      Resources:
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: nodejs22.x
            CodeUri: .
            Handler: dist/handlers/orders.getOrder
    `);
    const ws = workspace({
      'svc/template.yaml': t,
      'svc/src/handlers/orders.ts': samOrdersTs,
      'other/src/index.ts': '',
    });
    const h = resolveHandler(fn('svc/template.yaml', t, 'Fn'), ws.paths, ws.read);
    assert.equal(h?.path, 'svc/src/handlers/orders.ts');
  });

  it('esbuild EntryPoints name the source when the module path does not (Handler app.handler, source src/app.ts)', () => {
    const t = dedent(`
      AWSTemplateFormatVersion: '2010-09-09'
      Transform: AWS::Serverless-2016-10-31
      Resources:
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: nodejs20.x
            CodeUri: .
            Handler: app.handler
          Metadata:
            BuildMethod: esbuild
            BuildProperties:
              Minify: true
              EntryPoints:
                - src/app.ts
    `);
    const ws = workspace({
      'svc/template.yaml': t,
      'svc/src/app.ts': 'import x from "y";\nexport const handler = async () => ({});\n',
      'svc/test/app.ts': 'export const handler = 1;\n',
    });
    assert.deepEqual(fn('svc/template.yaml', t, 'Fn').entryPoints, ['src/app.ts']);
    const h = resolveHandler(fn('svc/template.yaml', t, 'Fn'), ws.paths, ws.read);
    assert.equal(`${h?.path}:${h?.line}`, 'svc/src/app.ts:2');
  });

  it('says when only the file was found, and finds nothing for a missing file or a Go executable', () => {
    const ws = workspace({
      'sam-app/template.yaml': samTemplate,
      'sam-app/src/handlers/orders.ts': 'export const other = 1;\n',
    });
    const h = resolveHandler(fn('sam-app/template.yaml', samTemplate, 'GetOrderFunction'), ws.paths, ws.read);
    assert.equal(h?.precision, 'file');
    assert.equal(h?.line, 1);
    assert.equal(
      resolveHandler(fn('sam-app/template.yaml', samTemplate, 'HelloFunction'), ws.paths, ws.read),
      undefined,
    );
    const go: LambdaFunction = {
      id: 'Go',
      kind: 'sam',
      template: 't.yaml',
      line: 1,
      handler: 'bootstrap',
      runtime: 'provided.al2023',
      events: [],
    };
    assert.equal(
      resolveHandler(go, ['t.yaml', 'main.go'], () => ''),
      undefined,
    );
  });

  it('Windows paths in the file list resolve and come back as given', () => {
    const files: Record<string, string> = {
      'C:\\ws\\sam-app\\template.yaml': samTemplate,
      'C:\\ws\\sam-app\\hello_world\\app.py': samHelloPy,
    };
    const h = resolveHandler(
      fn('C:\\ws\\sam-app\\template.yaml', samTemplate, 'HelloFunction'),
      Object.keys(files),
      (p) => files[p],
    );
    assert.equal(h?.path, 'C:\\ws\\sam-app\\hello_world\\app.py');
  });

  it('finds JS exports in every form, never in comments or strings', () => {
    const src = dedent(`
      // exports.inComment = () => {};
      const s = "exports.inString = 1";
      export default async function main() {}
      export function a() {}
      export const b = async () => {};
      function c() {}
      export { c as cee };
      exports.d = async (event) => {};
      module.exports.e = function () {};
      const f = (x) => x;
      exports.f = f;
    `);
    const at = (name: string) => findJsExport(src, name)?.line;
    assert.equal(at('default'), 3);
    assert.equal(at('a'), 4);
    assert.equal(at('b'), 5);
    assert.equal(at('cee'), 6);
    assert.equal(at('d'), 8);
    assert.equal(at('e'), 9);
    assert.equal(at('f'), 10);
    assert.equal(at('inComment'), undefined);
    assert.equal(at('inString'), undefined);
  });

  it('finds Python defs (top level first, then module-level assignments such as Mangum) and Java/C# methods', () => {
    const py = dedent(`
      class Api:
          def handler(self):
              pass

      def handler(event, context):
          pass

      app = FastAPI()
      lambda_handler = Mangum(app)
    `);
    assert.equal(findPythonFunction(py, 'handler')?.line, 5);
    assert.equal(findPythonFunction(py, 'lambda_handler')?.line, 9);
    assert.equal(
      findMethod('class H { void run() { handle(); } public void handle() throws IOException {} }', 'handle')?.line,
      1,
    );
    assert.equal(findMethod('class H {\n  void run() { handle(); }\n  public void handle() {}\n}', 'handle')?.line, 3);
    assert.equal(
      findMethod(
        'public class F {\n  public async Task<string> FunctionHandler(string input, ILambdaContext ctx) => input;\n}',
        'FunctionHandler',
        'csharp',
      )?.line,
      2,
    );
  });
});
