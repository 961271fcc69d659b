// Small, realistic project files the route tests read: one of each kind of template and framework,
// each written the way its documentation writes it. Kept as strings (not files in the repository)
// so lint and the instrumentation tests never take them for the project's own code; the workspace
// test writes them into a temporary folder.

/** Removes the common indentation and the first line break, so inputs can be indented here. */
export function dedent(s: string): string {
  const lines = s.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** The 1-based line of the first line containing text. */
export function lineOf(text: string, needle: string, from = 1): number {
  const lines = text.split('\n');
  for (let i = from - 1; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  throw new Error(`"${needle}" not in text`);
}

/**
 * SAM: Globals (Runtime), an explicit Api with a literal name and stage, FunctionName with !Sub,
 * a generated name, Api, HttpApi and SQS events, an implicit API, a Python and a Java function,
 * esbuild TypeScript, and comments and short-form tags everywhere.
 */
export const samTemplate = dedent(`
  AWSTemplateFormatVersion: '2010-09-09'
  Transform: AWS::Serverless-2016-10-31
  Description: >
    Orders service: REST API in front of three functions.

  Parameters:
    Stage:
      Type: String
      Default: prod

  Globals:
    Function:
      Runtime: nodejs20.x   # every function unless it says otherwise
      Timeout: 10
      Tracing: Active

  Resources:
    OrdersApi:
      Type: AWS::Serverless::Api
      Properties:
        Name: orders-api
        StageName: prod
        TracingEnabled: true

    GetOrderFunction:
      Type: AWS::Serverless::Function
      Properties:
        FunctionName: !Sub '\${AWS::StackName}-get-order'
        CodeUri: src/
        Handler: handlers/orders.getOrder
        Policies:
          - DynamoDBReadPolicy:
              TableName: !Ref OrdersTable
        Events:
          GetOrder:
            Type: Api
            Properties:
              RestApiId: !Ref OrdersApi
              Path: /orders/{id}
              Method: get

    CreateOrderFunction:
      Type: AWS::Serverless::Function
      Metadata:
        BuildMethod: esbuild
      Properties:
        CodeUri: src/
        Handler: handlers/orders.createOrder
        Events:
          Create:
            Type: Api
            Properties:
              RestApiId: !Ref OrdersApi
              Path: /orders
              Method: POST
          Retry:
            Type: SQS
            Properties:
              Queue: !GetAtt RetryQueue.Arn

    HelloFunction:
      Type: AWS::Serverless::Function
      Properties:
        FunctionName: hello-python
        CodeUri: hello_world/
        Handler: app.lambda_handler
        Runtime: python3.12
        Events:
          Hello:
            Type: Api
            Properties:
              Path: /hello
              Method: any
          CatchAll:
            Type: HttpApi

    JavaFunction:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: HelloJava
        Handler: com.example.Handler::handleRequest
        Runtime: java21
        MemorySize: !If [IsProd, 1024, 512]
        Events:
          Items:
            Type: HttpApi
            Properties:
              Path: /items/{proxy+}
              Method: GET

    RetryQueue:
      Type: AWS::SQS::Queue
    OrdersTable:
      Type: AWS::Serverless::SimpleTable
`);

/** The SAM app's TypeScript handlers (built by esbuild, so the template names `handlers/orders`). */
export const samOrdersTs = dedent(`
  import type { APIGatewayProxyHandler } from 'aws-lambda';
  import { getItem } from '../lib/db';

  export const getOrder: APIGatewayProxyHandler = async (event) => {
    const order = await getItem(event.pathParameters?.id);
    return { statusCode: order ? 200 : 404, body: JSON.stringify(order) };
  };

  export async function createOrder(event: { body: string }) {
    return { statusCode: 201, body: event.body };
  }
`);

/** The SAM app's Python handler. */
export const samHelloPy = dedent(`
  import json


  def helper():
      return {}


  def lambda_handler(event, context):
      return {"statusCode": 200, "body": json.dumps(helper())}
`);

/** The SAM app's Java handler, under Maven's source folder. */
export const samHandlerJava = dedent(`
  package com.example;

  import com.amazonaws.services.lambda.runtime.Context;
  import com.amazonaws.services.lambda.runtime.RequestHandler;

  public class Handler implements RequestHandler<Map<String, Object>, String> {
      private final Items items = new Items();

      @Override
      public String handleRequest(Map<String, Object> input, Context context) {
          return items.handleRequest(input);
      }
  }
`);

/**
 * Plain CloudFormation in JSON: a function with inline code (ZipFile), a REST API declared as a
 * resource tree (`/stock/{sku}`), a Method whose integration names the function through Fn::Sub,
 * and a Stage resource.
 */
export const cfnJson = dedent(`
  {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Description": "Inventory API, plain CloudFormation",
    "Resources": {
      "StockFunction": {
        "Type": "AWS::Lambda::Function",
        "Properties": {
          "Handler": "index.handler",
          "Runtime": "nodejs20.x",
          "Role": { "Fn::GetAtt": ["StockRole", "Arn"] },
          "TracingConfig": { "Mode": "Active" },
          "Code": {
            "ZipFile": "const db = require('./db');\\nexports.handler = async (event) => {\\n  return { statusCode: 200, body: '[]' };\\n};\\n"
          }
        }
      },
      "Api": { "Type": "AWS::ApiGateway::RestApi", "Properties": { "Name": "inventory" } },
      "StockResource": {
        "Type": "AWS::ApiGateway::Resource",
        "Properties": { "RestApiId": { "Ref": "Api" }, "ParentId": { "Fn::GetAtt": ["Api", "RootResourceId"] }, "PathPart": "stock" }
      },
      "SkuResource": {
        "Type": "AWS::ApiGateway::Resource",
        "Properties": { "RestApiId": { "Ref": "Api" }, "ParentId": { "Ref": "StockResource" }, "PathPart": "{sku}" }
      },
      "GetSku": {
        "Type": "AWS::ApiGateway::Method",
        "Properties": {
          "RestApiId": { "Ref": "Api" },
          "ResourceId": { "Ref": "SkuResource" },
          "HttpMethod": "GET",
          "AuthorizationType": "NONE",
          "Integration": {
            "Type": "AWS_PROXY",
            "IntegrationHttpMethod": "POST",
            "Uri": { "Fn::Sub": "arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${StockFunction.Arn}/invocations" }
          }
        }
      },
      "Stage": {
        "Type": "AWS::ApiGateway::Stage",
        "Properties": { "RestApiId": { "Ref": "Api" }, "StageName": "v1", "DeploymentId": { "Ref": "Deployment" } }
      }
    }
  }
`);

/**
 * Plain CloudFormation in YAML with short-form tags: !Join, !Sub, !GetAtt, !If, !Equals, !Ref; a
 * REST API from an OpenAPI Body (a Lambda integration and an HTTP proxy), a Stage whose name is a
 * parameter, and an HTTP API route (ApiGatewayV2) through an Integration resource.
 */
export const cfnYaml = dedent(`
  AWSTemplateFormatVersion: "2010-09-09"
  Description: Catalog (CloudFormation, YAML)
  Parameters:
    Env:
      Type: String
      AllowedValues: [dev, prod]
  Conditions:
    IsProd: !Equals [!Ref Env, prod]
  Resources:
    CatalogFunction:
      Type: AWS::Lambda::Function
      Properties:
        FunctionName: !Join ['-', [catalog, !Ref Env]]
        Handler: api.search.main
        Runtime: python3.11
        Code: ./catalog
        Role: !GetAtt CatalogRole.Arn
        MemorySize: !If [IsProd, 1024, 256]
        TracingConfig:
          Mode: Active
    CatalogApi:
      Type: AWS::ApiGateway::RestApi
      Properties:
        Name: !Sub catalog-\${Env}
        Body:
          openapi: "3.0.1"
          paths:
            /products:
              get:
                x-amazon-apigateway-integration:
                  type: aws_proxy
                  httpMethod: POST
                  uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${CatalogFunction.Arn}/invocations
            /products/{id}:
              get:
                x-amazon-apigateway-integration:
                  type: aws_proxy
                  httpMethod: POST
                  uri: !Sub "arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${CatalogFunction.Arn}/invocations"
              x-amazon-apigateway-any-method:
                x-amazon-apigateway-integration:
                  type: http_proxy
                  uri: https://legacy.example.com/products/{id}
    CatalogStage:
      Type: AWS::ApiGateway::Stage
      Properties:
        RestApiId: !Ref CatalogApi
        StageName: !Ref Env
    HttpApi:
      Type: AWS::ApiGatewayV2::Api
      Properties: { Name: catalog-http, ProtocolType: HTTP }
    SearchIntegration:
      Type: AWS::ApiGatewayV2::Integration
      Properties:
        ApiId: !Ref HttpApi
        IntegrationType: AWS_PROXY
        IntegrationUri: !GetAtt CatalogFunction.Arn
        PayloadFormatVersion: "2.0"
    SearchRoute:
      Type: AWS::ApiGatewayV2::Route
      Properties:
        ApiId: !Ref HttpApi
        RouteKey: GET /search
        Target: !Join [/, [integrations, !Ref SearchIntegration]]
`);

/** The catalog function's Python module `api/search.py` under its Code folder. */
export const cfnSearchPy = dedent(`
  from .index import query


  async def unused():
      pass


  def main(event, context):
      return query(event["queryStringParameters"])
`);

/**
 * serverless.yml: a variable stage, `http` events in string and map form, `httpApi` events in
 * string, map and catch-all form, a literal function name, a Python function with its own runtime,
 * a schedule event (not a route) and an environment variable naming the service.
 */
export const serverlessYml = dedent(`
  service: shop-users
  frameworkVersion: '3'

  provider:
    name: aws
    runtime: nodejs18.x
    stage: \${opt:stage, 'dev'}
    tracing:
      lambda: true
      apiGateway: true
    environment:
      OTEL_SERVICE_NAME: shop-users

  functions:
    getUser:
      handler: src/users.get
      events:
        - http: GET users/{id}
    createUser:
      handler: src/users.create
      name: shop-users-create
      events:
        - http:
            path: /users
            method: post
            cors: true
    report:
      handler: reports/handler.report
      runtime: python3.12
      events:
        - httpApi: 'GET /reports/{day}'
        - httpApi:
            method: '*'
            path: /reports
        - schedule: rate(1 day)
`);

/** serverless.yml's Node handlers: a CommonJS object of a function declaration and an arrow. */
export const slsUsersJs = dedent(`
  'use strict';
  const db = require('./db');

  async function get(event) {
    return { statusCode: 200, body: JSON.stringify(await db.user(event.pathParameters.id)) };
  }

  const create = async (event) => ({ statusCode: 201, body: event.body });

  module.exports = { get, create };
`);

/** serverless.yml's Python handler. */
export const slsReportPy = dedent(`
  def report(event, context):
      return {"statusCode": 200}
`);

/**
 * Flask: an app and a blueprint with its own url_prefix that registration replaces, `route` with
 * and without methods, `post` shorthand, stacked decorators, `<int:…>` and `<path:…>` converters,
 * and add_url_rule.
 */
export const flaskApp = dedent(`
  from flask import Flask, Blueprint, jsonify

  from .auth import login_required

  app = Flask(__name__)
  orders = Blueprint("orders", __name__, url_prefix="/orders")


  @app.route("/health")
  def health():
      return jsonify(ok=True)


  @orders.route("/<int:order_id>", methods=["GET", "DELETE"])
  @login_required
  def order(order_id):
      return jsonify(id=order_id)


  @orders.post("/")
  def create_order():
      return jsonify(), 201


  @app.route("/files/<path:name>")
  def files(name):
      return name


  def legacy():
      return "ok"


  app.add_url_rule("/legacy", view_func=legacy, methods=["POST"])
  app.register_blueprint(orders, url_prefix="/api/orders")
`);

/** FastAPI: an APIRouter with a prefix, included with another prefix; api_route with methods; a router from another module. */
export const fastapiMain = dedent(`
  from fastapi import FastAPI, APIRouter

  from .routers import items

  app = FastAPI(title="shop")
  router = APIRouter(prefix="/users", tags=["users"])


  @router.get("/{user_id}")
  async def read_user(user_id: int):
      return {"id": user_id}


  @router.api_route("/{user_id}/avatar", methods=["GET", "HEAD"])
  async def avatar(user_id: int):
      return None


  @app.get("/")
  def root():
      return {}


  app.include_router(router, prefix="/v1")
  app.include_router(items.router, prefix="/v1")
`);

/** FastAPI router module mounted by main.py: a `{…:path}` convertor. */
export const fastapiItems = dedent(`
  from fastapi import APIRouter

  router = APIRouter(prefix="/items")


  @router.get("/{item_id}")
  async def read_item(item_id: str):
      return {"id": item_id}


  @router.put("/{item_id}")
  async def update_item(item_id: str):
      return {}


  @router.get("/files/{file_path:path}")
  async def read_file(file_path: str):
      return {}
`);

/**
 * Spring: a class-level @RequestMapping prefix, @GetMapping with and without a path, @PostMapping
 * with other elements only, @RequestMapping with value and a method list, path arrays, a regex
 * path variable, and a constant path (not literal: no route).
 */
export const springController = dedent(`
  package com.example.orders;

  import org.springframework.http.ResponseEntity;
  import org.springframework.web.bind.annotation.*;

  @RestController
  @RequestMapping("/api/orders")
  public class OrderController {

      private final OrderService service;

      public OrderController(OrderService service) {
          this.service = service;
      }

      @GetMapping("/{id:\\\\d+}")
      public ResponseEntity<Order> get(@PathVariable("id") Long id) {
          return ResponseEntity.of(service.find(id));
      }

      @GetMapping
      public List<Order> list(@RequestParam(required = false) String status) {
          return service.list(status);
      }

      @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
      public Order create(@RequestBody Order order) {
          return service.create(order);
      }

      @RequestMapping(value = "/{id}/cancel", method = {RequestMethod.POST, RequestMethod.PUT})
      public Order cancel(@PathVariable Long id) {
          return service.cancel(id);
      }

      @DeleteMapping(path = {"/{id}", "/{id}/purge"})
      public void delete(@PathVariable Long id) {
          service.delete(id);
      }

      @GetMapping(Paths.EXPORT)
      public byte[] export() {
          return service.export();
      }
  }
`);

/** JAX-RS: class @Path, @GET with a method @Path, @POST without one. */
export const jaxrsResource = dedent(`
  package com.example.stock;

  import jakarta.ws.rs.*;

  @Path("/stock")
  @Produces(MediaType.APPLICATION_JSON)
  public class StockResource {
      @GET
      @Path("{sku}")
      public Stock get(@PathParam("sku") String sku) {
          return Stock.of(sku);
      }

      @POST
      public Response reserve(Reservation r) {
          return Response.accepted().build();
      }
  }
`);

/**
 * Express app: handlers imported from a controller module, a regex-constrained parameter,
 * `app.route().get().post()`, a router made and mounted in the file, a router module mounted from
 * another file, `app.all`, and calls that look like routes but are not (Map#get, axios, supertest).
 */
export const expressServer = dedent(`
  const express = require('express');
  const axios = require('axios');
  const ordersRouter = require('./routes/orders');
  const { getUser, listUsers } = require('./controllers/users');

  const app = express();
  const admin = express.Router();

  app.get('/users', listUsers);
  app.get('/users/:id(\\\\d+)', getUser);
  app.route('/books')
    .get((req, res) => res.json([]))
    .post(createBook);
  admin.delete('/cache', (req, res) => res.sendStatus(204));
  app.use('/admin', admin);
  app.use('/api/orders', ordersRouter);
  app.all('/ping', (req, res) => res.send('pong'));

  function createBook(req, res) {
    res.status(201).json(req.body);
  }

  const cache = new Map();
  cache.get('/users');
  axios.get('/users/1');
  axios.post('/users', { name: 'x' });
  module.exports = app;
`);

/** The router module the Express app mounts at /api/orders: a handler declared below, middleware before the handler, a named function literal. */
export const expressOrdersRouter = dedent(`
  const { Router } = require('express');
  const validate = require('../middleware/validate');

  const router = Router();

  router.get('/', list);
  router.get('/:id', async (req, res) => {
    res.json({ id: req.params.id });
  });
  router.post('/:id/items', validate, async function addItem(req, res) {
    res.status(201).end();
  });

  async function list(req, res) {
    res.json([]);
  }

  module.exports = router;
`);

/** The controller module the Express app imports handlers from. */
export const expressUsersController = dedent(`
  exports.listUsers = function listUsers(req, res) {
    res.json([]);
  };

  exports.getUser = async (req, res) => {
    res.json({ id: req.params.id });
  };
`);
