'use strict';
// AWS X-Ray setup for the orders service. Required first by server.js.
//
// The SDK sends segment documents over UDP to the X-Ray daemon (or Trace Lens' local X-Ray) at
// AWS_XRAY_DAEMON_ADDRESS (default 127.0.0.1:2000); the SDK reads that variable itself.
const AWSXRay = require('aws-xray-sdk-core');

// This is a demo: trace every request. No centralized sampling (that would ask the daemon for
// rules over TCP), and a local default rule that keeps everything.
AWSXRay.middleware.disableCentralizedSampling();
AWSXRay.middleware.setSamplingRules({
  version: 2,
  rules: [],
  default: { fixed_target: 10000, rate: 1.0 },
});

// Once more than this many subsegments are open at the same time, the SDK sends completed
// subsegments as their own documents ("type": "subsegment") instead of inside the segment.
// The default is 100; the daily report opens ~30 at once, so it streams.
AWSXRay.setStreamingThreshold(Number(process.env.XRAY_STREAMING_THRESHOLD || 10));

/**
 * Our own helper around captureAsyncFunc: runs `fn` inside a subsegment called `name`,
 * closes it when the promise settles and records the error if it rejects.
 *
 *   const cart = await capture('loadCart', () => carts.read(customerId));
 */
function capture(name, fn) {
  return AWSXRay.captureAsyncFunc(name, async (subsegment) => {
    try {
      const result = await fn(subsegment);
      subsegment.close();
      return result;
    } catch (err) {
      subsegment.close(err);
      throw err;
    }
  });
}

module.exports = { AWSXRay, capture };
