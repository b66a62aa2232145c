/**
 * The methods the server's routes take, looked up by a concrete path, so
 * that a path asked with the wrong method is answered 405 with `Allow`
 * rather than 404. Fed by fastify's `onRoute` hook.
 *
 * @example
 * const routes = new RouteMethods();
 * routes.add(['GET', 'HEAD'], '/emulator/cabinets/:deviceNo');
 * routes.methodsFor('/emulator/cabinets/C-1'); // ['GET', 'HEAD']
 */
export class RouteMethods {
  readonly #routes: Array<{ pattern: RegExp; methods: readonly string[] }> = [];

  add(method: string | readonly string[], url: string): void {
    this.#routes.push({
      pattern: patternOf(url),
      methods: typeof method === 'string' ? [method] : method,
    });
  }

  /** The methods of every route whose path matches, sorted; [] for none. */
  methodsFor(path: string): string[] {
    const methods = new Set<string>();

    for (const route of this.#routes) {
      if (route.pattern.test(path)) {
        for (const method of route.methods) methods.add(method);
      }
    }
    return [...methods].sort();
  }
}

// A route's path as a pattern of concrete paths: `:name` is one segment,
// `/:name?` an optional one, `*` anything; a trailing slash is optional, as
// the router takes it.
function patternOf(url: string): RegExp {
  const parts = url.split(/(\/:[^/]+\?|:[^/]+|\*)/);
  const source = parts
    .map((part) => {
      if (/^\/:[^/]+\?$/.test(part)) return '(?:/[^/]*)?';
      if (part.startsWith(':')) return '[^/]+';
      if (part === '*') return '.*';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');

  return new RegExp(`^${source.replace(/\/$/, '')}/?$`);
}
