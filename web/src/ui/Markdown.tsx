/**
 * Renders agent text as Markdown without raw HTML: every node becomes a React element or a text node.
 */
import { memo, type ReactNode } from 'react';
import { parseMarkdown, type Block, type Inline } from './markdown.js';

function renderInline(nodes: Inline[]): ReactNode[] {
  return nodes.map((node, i) => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'code':
        return <code key={i}>{node.text}</code>;
      case 'strong':
        return <strong key={i}>{renderInline(node.children)}</strong>;
      case 'em':
        return <em key={i}>{renderInline(node.children)}</em>;
      case 'link':
        return (
          <a key={i} href={node.href} target="_blank" rel="noopener noreferrer nofollow">
            {renderInline(node.children)}
          </a>
        );
    }
  });
}

function renderBlock(block: Block, i: number): ReactNode {
  switch (block.type) {
    case 'code':
      return (
        <pre key={i} className="md-code" data-lang={block.lang || undefined}>
          <code>{block.text}</code>
        </pre>
      );
    case 'heading':
      return (
        <p key={i} className={`md-h md-h${block.level}`}>
          {renderInline(block.children)}
        </p>
      );
    case 'list': {
      const items = block.items.map((item, j) => <li key={j}>{renderInline(item)}</li>);
      return block.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
    }
    case 'paragraph':
      return <p key={i}>{renderInline(block.children)}</p>;
  }
}

/** Markdown text as elements. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return <div className="md">{parseMarkdown(text).map(renderBlock)}</div>;
});
