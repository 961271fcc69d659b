// AWS X-Ray setup for the inventory service (daemon address from AWS_XRAY_DAEMON_ADDRESS).
import AWSXRay from 'aws-xray-sdk-core';

AWSXRay.middleware.disableCentralizedSampling();
AWSXRay.middleware.setSamplingRules({
  version: 2,
  rules: [],
  default: { fixed_target: 10000, rate: 1.0 },
});
AWSXRay.setStreamingThreshold(Number(process.env.XRAY_STREAMING_THRESHOLD || 10));

/** Time `fn` as a subsegment named `name`; see services/orders/tracing.js for the same helper. */
export function traced(name, fn) {
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

export { AWSXRay };
