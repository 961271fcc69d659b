// esbuild.mjs's worker-text plugin: the imported file, bundled on its own, as a string.
declare module 'worker-text:*' {
  /** The worker's bundled code (an IIFE), to start from a blob: URL. */
  const code: string;
  export default code;
}
