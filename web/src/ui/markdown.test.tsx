// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from './markdown.js';
import { Markdown } from './Markdown.js';

afterEach(cleanup);

describe('markdown', () => {
  it('reads code fences, headings, lists and paragraphs', () => {
    const blocks = parseMarkdown(
      '# Title\n\nSome *text* here\nnext line\n\n- one\n- `two`\n\n1. first\n2. second\n\n```ts\nconst a = 1;\n```',
    );
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'paragraph', 'list', 'list', 'code']);
    expect(blocks[4]).toEqual({ type: 'code', lang: 'ts', text: 'const a = 1;' });
    expect(blocks[3]).toMatchObject({ type: 'list', ordered: true });
  });

  it('reads inline code, emphasis and http(s) links only', () => {
    expect(parseInline('a `b` **c** _d_ [e](https://x.org/p)')).toEqual([
      { type: 'text', text: 'a ' },
      { type: 'code', text: 'b' },
      { type: 'text', text: ' ' },
      { type: 'strong', children: [{ type: 'text', text: 'c' }] },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'd' }] },
      { type: 'text', text: ' ' },
      { type: 'link', href: 'https://x.org/p', children: [{ type: 'text', text: 'e' }] },
    ]);
    expect(parseInline('[x](javascript:alert(1))')).toEqual([
      { type: 'text', text: '[x](javascript:alert(1))' },
    ]);
    expect(safeHref('data:text/html,hi')).toBeNull();
    expect(safeHref('/relative')).toBeNull();
  });

  it('renders raw HTML as text, never as elements', () => {
    const { container } = render(
      <Markdown
        text={'<img src=x onerror="alert(1)"> <script>alert(2)</script>\n\n[ok](https://example.com)'}
      />,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror="alert(1)">');
    const link = container.querySelector('a')!;
    expect(link.getAttribute('href')).toBe('https://example.com/');
    expect(link.getAttribute('rel')).toContain('noopener');
  });
});
