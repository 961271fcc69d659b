import * as assert from 'node:assert/strict';
import { detectServices } from '../../../../src/mapping/routes/services';
import { cfnJson, dedent, lineOf, samTemplate, serverlessYml } from './inputs';

/** `name @line how` for one file. */
function found(path: string, text: string): string[] {
  return detectServices([{ path, text }]).map((s) => `${s.name} @${s.line}${s.pattern ? ` ~${s.pattern}` : ''}`);
}

describe('mapping/routes/services', () => {
  it('templates: literal and partly literal function names, generated names by logical id, REST API stages', () => {
    assert.deepEqual(found('template.yaml', samTemplate), [
      `orders-api/prod @${lineOf(samTemplate, 'OrdersApi:')}`,
      `*-get-order @${lineOf(samTemplate, 'GetOrderFunction:')} ~^.+-get-order$`,
      `*-CreateOrderFunction-* @${lineOf(samTemplate, 'CreateOrderFunction:')} ~^.+-CreateOrderFunction-[A-Za-z0-9]+$`,
      `hello-python @${lineOf(samTemplate, 'HelloFunction:')}`,
      `*-JavaFunction-* @${lineOf(samTemplate, 'JavaFunction:')} ~^.+-JavaFunction-[A-Za-z0-9]+$`,
    ]);
    assert.deepEqual(found('template.json', cfnJson), [
      `*-StockFunction-* @${lineOf(cfnJson, '"StockFunction"')} ~^.+-StockFunction-[A-Za-z0-9]+$`,
      `inventory/v1 @${lineOf(cfnJson, '"Api"')}`,
    ]);
  });

  it('serverless.yml: default function names with the service, literal names, the REST API, and environment variables', () => {
    assert.deepEqual(found('serverless.yml', serverlessYml), [
      `*-shop-users/* @1 ~^.+-shop-users/[^/]+$`,
      `shop-users @${lineOf(serverlessYml, 'OTEL_SERVICE_NAME')}`,
      `shop-users-*-getUser @${lineOf(serverlessYml, 'getUser:')} ~^shop-users-.+-getUser$`,
      `shop-users-create @${lineOf(serverlessYml, 'createUser:')}`,
      `shop-users-*-report @${lineOf(serverlessYml, 'report:')} ~^shop-users-.+-report$`,
    ]);
  });

  it('JS/TS: X-Ray segment names (openSegment, setDefaultName, new Segment) and OpenTelemetry service.name in its spellings', () => {
    const src = dedent(`
      // app.use(AWSXRay.express.openSegment('in-a-comment'));
      app.use(AWSXRay.express.openSegment('orders'));
      AWSXRay.middleware.setDefaultName('checkout');
      const seg = new AWSXRay.Segment('worker');
      const r1 = resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'catalog' });
      const r2 = new Resource({ 'service.name': 'legacy', [SemanticResourceAttributes.SERVICE_NAME]: 'semres' });
      const sdk = new NodeSDK({ serviceName: 'sdk-svc', traceExporter });
      const options = { serviceName: 'not-otel' };
      process.env.OTEL_SERVICE_NAME = 'env-in-code';
      const name = process.env.OTEL_SERVICE_NAME || 'fallback';
      const s = new Segment(name);
    `);
    assert.deepEqual(found('tracing.ts', src), [
      'orders @2',
      'checkout @3',
      'worker @4',
      'catalog @5',
      'legacy @6',
      'semres @6',
      'sdk-svc @7',
      'env-in-code @9',
    ]);
    assert.match(detectServices([{ path: 'a.js', text: src }])[0]!.how, /openSegment/);
  });

  it('Python, Java, Go and C#: the X-Ray SDKs’ naming calls and OpenTelemetry resources', () => {
    assert.deepEqual(
      found(
        'app.py',
        dedent(`
        xray_recorder.configure(service='py-orders', sampling=False)
        segment = xray_recorder.begin_segment('py-job')
        resource = Resource.create({SERVICE_NAME: "py-otel"})
        os.environ["OTEL_SERVICE_NAME"] = "py-env"
        XRAY_RECORDER = {'AWS_XRAY_TRACING_NAME': 'django-svc'}
      `),
      ),
      ['py-orders @1', 'py-job @2', 'py-otel @3', 'py-env @4', 'django-svc @5'],
    );
    assert.deepEqual(
      found(
        'App.java',
        dedent(`
        AWSXRay.beginSegment("java-job");
        return new AWSXRayServletFilter("Scorekeep");
        new AWSXRayServletFilter(SegmentNamingStrategy.fixed("fixed-name"));
        Resource.create(Attributes.of(ResourceAttributes.SERVICE_NAME, "java-otel"));
      `),
      ),
      ['java-job @1', 'Scorekeep @2', 'fixed-name @3', 'java-otel @4'],
    );
    assert.deepEqual(
      found(
        'main.go',
        'http.Handle("/", xray.Handler(xray.NewFixedSegmentNamer("go-api"), mux))\nres := resource.NewWithAttributes(semconv.SchemaURL, semconv.ServiceName("go-otel"))\n',
      ),
      ['go-api @1', 'go-otel @2'],
    );
    assert.deepEqual(
      found(
        'Program.cs',
        'app.UseXRay("dotnet-api");\nbuilder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService(serviceName: "dotnet-otel"));\n',
      ),
      ['dotnet-api @1', 'dotnet-otel @2'],
    );
  });

  it('settings files: .env, Dockerfile, compose (list and map), Kubernetes env, resource attributes, properties, application.yml, package.json; variables and comments are not names', () => {
    const files = [
      { path: 'svc/.env', text: '# OTEL_SERVICE_NAME=commented\nOTEL_SERVICE_NAME=from-dotenv\nOTHER=1\n' },
      { path: 'svc/prod.env', text: 'export AWS_XRAY_TRACING_NAME="xray-env"\nOTEL_SERVICE_NAME=${SERVICE}\n' },
      {
        path: 'svc/Dockerfile',
        text: 'FROM node:22\nENV OTEL_SERVICE_NAME=docker-svc\nENV AWS_XRAY_TRACING_NAME docker-xray\n',
      },
      {
        path: 'docker-compose.yml',
        text: dedent(`
          services:
            api:
              environment:
                - OTEL_SERVICE_NAME=compose-list
            worker:
              environment:
                OTEL_SERVICE_NAME: compose-map
                OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=prod,service.name=compose-attrs"
        `),
      },
      {
        path: 'k8s/deployment.yaml',
        text: dedent(`
          spec:
            containers:
              - name: api
                env:
                  - name: OTEL_SERVICE_NAME
                    value: "k8s-svc"
        `),
      },
      {
        path: 'src/main/resources/application.properties',
        text: 'otel.service.name=props-svc\nspring.application.name=spring-props\n',
      },
      { path: 'src/main/resources/application.yml', text: 'spring:\n  application:\n    name: spring-yml\n' },
      {
        path: 'package.json',
        text: '{\n  "scripts": {\n    "start": "OTEL_SERVICE_NAME=npm-svc node server.js"\n  }\n}\n',
      },
    ];
    const got = detectServices(files).map((s) => `${s.source}:${s.line} ${s.name}`);
    assert.deepEqual(got, [
      'docker-compose.yml:4 compose-list',
      'docker-compose.yml:7 compose-map',
      'docker-compose.yml:8 compose-attrs',
      'k8s/deployment.yaml:6 k8s-svc',
      'package.json:3 npm-svc',
      'src/main/resources/application.properties:1 props-svc',
      'src/main/resources/application.properties:2 spring-props',
      'src/main/resources/application.yml:3 spring-yml',
      'svc/.env:2 from-dotenv',
      'svc/Dockerfile:2 docker-svc',
      'svc/Dockerfile:3 docker-xray',
      'svc/prod.env:1 xray-env',
    ]);
  });
});
