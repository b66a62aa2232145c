import { realpathSync } from 'node:fs';
import { join, sep } from 'node:path';

const PARENT_SEGMENT = /(?:^|[\\/])\.\.(?:[\\/]|$)/;

/**
 * Makes the `allowedPath` check of `@fastify/static` for `root`: a request
 * path is served only when the file it names, with every symlink followed,
 * lies inside `root`. @fastify/static and @fastify/send already refuse `..`,
 * encoded separators, NUL bytes and dotfiles, but they follow symlinks, and a
 * fixture folder copied from elsewhere may hold one that points out of it.
 */
export function insideFolder(root: string): (requestPath: string) => boolean {
  const realRoot = realpathSync(root);

  return (requestPath) => {
    let decoded: string;

    try {
      decoded = decodeURIComponent(requestPath);
    } catch {
      return false;
    }

    // @fastify/send refuses any `..` segment itself, with 403; answering
    // those the same whether or not the target exists tells a prober nothing.
    if (PARENT_SEGMENT.test(decoded)) return true;

    let real: string;

    try {
      real = realpathSync(join(realRoot, decoded));
    } catch {
      // Nothing there (or a loop, or a name too long): @fastify/send finds
      // nothing either and answers 404.
      return true;
    }

    return real.startsWith(realRoot + sep);
  };
}
