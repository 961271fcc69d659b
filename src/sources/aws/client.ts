// The XRayClient for a target: the SDK's adaptive retry (client-side rate limiting that slows down
// when X-Ray throttles), and an observer of every attempt so the UI can say "throttled, slowing
// down" and the session can count its calls.
import { XRayClient } from '@aws-sdk/client-xray';
import { credentialProvider, type AwsTarget, type CredentialProvider } from './credentials';
import { isThrottle } from './errors';

/** What one HTTP attempt came to: retries by the SDK are attempts too. */
export type AttemptOutcome = 'ok' | 'throttled' | 'failed';

/** Told of every attempt: the operation (`GetTraceSummaries`), and how it went. */
export type AttemptObserver = (operation: string, outcome: AttemptOutcome, error?: unknown) => void;

/** Options of the client. */
export interface ClientOptions {
  /** Attempts per call, counting the first (the SDK's adaptive retry makes the others). */
  readonly maxAttempts?: number;
  readonly credentials?: CredentialProvider;
  /** Told of every attempt. */
  readonly observe?: AttemptObserver;
}

/** The default attempts per call: throttling is X-Ray's normal answer to a busy account. */
export const defaultMaxAttempts = 5;

/** Adds an observer of every attempt (inside the SDK's retry loop) to a client. */
export function observeAttempts(client: XRayClient, observe: AttemptObserver): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
      try {
        const out = await next(args);
        observe(operation, 'ok');
        return out;
      } catch (e) {
        observe(operation, isThrottle(e) ? 'throttled' : 'failed', e);
        throw e;
      }
    },
    { step: 'deserialize', priority: 'high', name: 'traceLensAttemptObserver' },
  );
}

/** An XRayClient for the target with adaptive retry; its credentials come from the target's provider. */
export function awsXRayClient(target: AwsTarget, options: ClientOptions = {}): XRayClient {
  const client = new XRayClient({
    region: target.region,
    endpoint: target.endpoint,
    credentials: options.credentials ?? credentialProvider(target),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
  });
  if (options.observe) observeAttempts(client, options.observe);
  return client;
}
