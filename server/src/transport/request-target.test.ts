import { describe, expect, it } from 'vitest';
import { canonicalPath, isApiTarget, isOriginForm } from './request-target.js';

describe('the request target', () => {
  it.each([
    ['/api/tasks', '/api/tasks'],
    ['/%61pi/tasks?x=1', '/api/tasks'],
    ['/%2561pi/tasks', '/api/tasks'],
    ['/API//Tasks/', '/api/tasks/'],
    ['/x/../api/./tasks', '/api/tasks'],
    ['/.%2e/api/tasks', '/api/tasks'],
    ['/api%2Ftasks', '/api/tasks'],
    ['/api%5Ctasks', '/api/tasks'],
    ['/../../etc/passwd', '/etc/passwd'],
    ['/assets/app-1.js#x', '/assets/app-1.js'],
  ])('%s reads as %s', (target, canonical) => {
    expect(canonicalPath(target)).toBe(canonical);
  });

  it.each(['/%zz', '/api/%E0%A4%A', '/a%00b', `/${'%25'.repeat(6)}61pi`])(
    '%s cannot be read: null',
    (target) => {
      expect(canonicalPath(target)).toBeNull();
    },
  );

  it.each([
    ['/api', true],
    ['/%41PI/x', true],
    ['/api;x/tasks', true],
    ['/api-docs', true],
    ['/%zz', true],
    ['/', false],
    ['/apiary', false],
    ['/board/api', false],
    ['/assets/api.js', false],
  ])('%s names the API: %s', (target, api) => {
    expect(isApiTarget(target)).toBe(api);
  });

  it.each([
    ['/api/tasks', true],
    ['//api', true],
    ['http://127.0.0.1/api/tasks', false],
    ['*', false],
    ['127.0.0.1:80', false],
    ['', false],
  ])('%s is origin-form: %s', (target, origin) => {
    expect(isOriginForm(target)).toBe(origin);
  });
});
