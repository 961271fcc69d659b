// Reading request bodies with a size limit and gzip, for the OTLP receiver and the X-Ray API.
import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';

/** A body that could not be read, with the HTTP status to answer. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads the whole body, decompressed, refusing more than limit bytes (before and after decompression). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new BodyError(413, `request body of ${declared} bytes is over the limit of ${limit} bytes`));
      return;
    }
    const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
    let stream: NodeJS.ReadableStream = req;
    if (encoding === 'gzip' || encoding === 'x-gzip') stream = req.pipe(createGunzip());
    else if (encoding === 'deflate') stream = req.pipe(createInflate());
    else if (encoding !== 'identity' && encoding !== '') {
      req.resume();
      reject(new BodyError(415, `unsupported Content-Encoding '${encoding}' (gzip, deflate or none)`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (e: BodyError) => {
      if (done) return;
      done = true;
      req.unpipe();
      req.resume();
      reject(e);
    };
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit)
        fail(
          new BodyError(
            413,
            `request body is over the limit of ${limit} bytes${stream === req ? '' : ' once decompressed'}`,
          ),
        );
      else if (!done) chunks.push(c);
    });
    stream.on('error', (e: Error) => fail(new BodyError(400, `request body could not be read: ${e.message}`)));
    stream.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, size));
    });
    req.on('aborted', () => fail(new BodyError(400, 'request aborted by the client')));
  });
}
