import { describe, expect, it } from 'vitest';
import { RouteMethods } from './route-methods.js';

describe('RouteMethods', () => {
  const routes = new RouteMethods();

  routes.add(['GET', 'HEAD'], '/emulator/cabinets/:deviceNo');
  routes.add('POST', '/emulator/cabinets/:deviceNo/actions');
  routes.add('GET', '/api/ssib/advert/ws/:deviceNo?');
  routes.add('GET', '/upload/image/*');
  routes.add('GET', '/a.b');

  it('finds the methods of the routes a concrete path matches', () => {
    expect(routes.methodsFor('/emulator/cabinets/C-1')).toEqual([
      'GET',
      'HEAD',
    ]);
    expect(routes.methodsFor('/emulator/cabinets/C-1/')).toEqual([
      'GET',
      'HEAD',
    ]);
    expect(routes.methodsFor('/emulator/cabinets/C-1/actions')).toEqual([
      'POST',
    ]);
  });

  it('takes an optional segment as there or not, and * as anything', () => {
    expect(routes.methodsFor('/api/ssib/advert/ws')).toEqual(['GET']);
    expect(routes.methodsFor('/api/ssib/advert/ws/D')).toEqual(['GET']);
    expect(routes.methodsFor('/upload/image/a/b.jpg')).toEqual(['GET']);
  });

  it('matches literal characters literally, and finds nothing elsewhere', () => {
    expect(routes.methodsFor('/a.b')).toEqual(['GET']);
    expect(routes.methodsFor('/axb')).toEqual([]);
    expect(routes.methodsFor('/emulator/cabinets')).toEqual([]);
    expect(routes.methodsFor('/emulator/cabinets/C-1/x/actions')).toEqual([]);
  });
});
