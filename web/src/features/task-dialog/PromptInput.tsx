/**
 * The prompt box with completion: `/` at the start lists the project's and the user's slash commands,
 * `@` lists the project's files (fuzzy, searched on the server). Arrow keys move, Enter or Tab picks,
 * Escape closes. Pasted images go to `onPasteFiles`.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useGluon } from '../../hooks/useGluon.js';
import { applyCompletion, findTrigger, matchCommands, type Trigger } from './autocomplete.js';

interface Suggestion {
  value: string;
  label: string;
  detail: string;
  positions?: number[];
}

export function PromptInput(props: {
  projectId: string | null;
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  onPasteFiles: (files: File[]) => void;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const [trigger, setTrigger] = useState<Trigger | null>(null);
  const [active, setActive] = useState(0);
  const suggestions = useSuggestions(props.projectId, trigger);
  const open = trigger !== null && suggestions.length > 0;

  const refresh = (text: string, caret: number) => {
    const next = findTrigger(text, caret);
    setTrigger(next);
    setActive(0);
  };

  // Where the caret goes after a pick: placed as soon as the picked text is in the box, before the next
  // key is handled (in a later animation frame it could land after keys typed meanwhile, and move them).
  const caretAfterPick = useRef<number | null>(null);
  useLayoutEffect(() => {
    const caret = caretAfterPick.current;
    if (caret === null || !area.current) return;
    caretAfterPick.current = null;
    area.current.focus();
    area.current.setSelectionRange(caret, caret);
  });

  const pick = (s: Suggestion) => {
    if (!trigger) return;
    const next = applyCompletion(props.value, trigger, s.value);
    caretAfterPick.current = next.caret;
    props.onChange(next.text);
    setTrigger(null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      return props.onSubmit();
    }
    if (!open) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + suggestions.length) % suggestions.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      pick(suggestions[active] ?? suggestions[0]!);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setTrigger(null);
    }
  };

  return (
    <div className="prompt">
      <textarea
        ref={area}
        aria-label="Prompt"
        placeholder="What should the agent do? / for commands, @ for files, paste images"
        value={props.value}
        rows={6}
        onChange={(e) => {
          props.onChange(e.target.value);
          refresh(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => {
          if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End')
            refresh(e.currentTarget.value, e.currentTarget.selectionStart);
        }}
        onClick={(e) => refresh(e.currentTarget.value, e.currentTarget.selectionStart)}
        onBlur={() => setTimeout(() => setTrigger(null), 150)}
        onPaste={(e) => {
          const images = [...e.clipboardData.files].filter((f) => f.type.startsWith('image/'));
          if (images.length) {
            e.preventDefault();
            props.onPasteFiles(images);
          }
        }}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls="prompt-suggestions"
      />
      {open ? (
        <SuggestionList
          label={trigger.kind === 'slash' ? 'Slash commands' : 'Files'}
          suggestions={suggestions}
          active={active}
          onPick={pick}
        />
      ) : null}
    </div>
  );
}

/** What completes the trigger: the matching slash commands, or the files the server finds. */
function useSuggestions(projectId: string | null, trigger: Trigger | null): Suggestion[] {
  const { api } = useGluon();
  const [fileQuery, setFileQuery] = useState('');
  const commands = useQuery({
    queryKey: ['commands', projectId],
    queryFn: () => api.listCommands(projectId!),
    enabled: !!projectId && trigger?.kind === 'slash',
    staleTime: 30_000,
  });
  // A short pause after typing before asking the server (a search per keystroke is wasted work).
  useEffect(() => {
    if (trigger?.kind !== 'file') return;
    const t = setTimeout(() => setFileQuery(trigger.query), 80);
    return () => clearTimeout(t);
  }, [trigger]);
  const files = useQuery({
    queryKey: ['files', projectId, fileQuery],
    queryFn: () => api.searchFiles(projectId!, fileQuery),
    enabled: !!projectId && trigger?.kind === 'file',
    staleTime: 10_000,
    placeholderData: (prev) => prev,
  });
  return trigger?.kind === 'slash'
    ? matchCommands(commands.data ?? [], trigger.query).map((c) => ({
        value: c.name,
        label: `/${c.name}`,
        detail: `${c.description}${c.argumentHint ? ` · ${c.argumentHint}` : ''} (${c.scope})`,
      }))
    : trigger?.kind === 'file'
      ? (files.data?.files ?? []).map((f) => ({
          value: f.path,
          label: f.path,
          detail: '',
          positions: f.positions,
        }))
      : [];
}

/** The open list of suggestions; a press picks one without taking the focus from the prompt. */
function SuggestionList(props: {
  label: string;
  suggestions: Suggestion[];
  active: number;
  onPick: (s: Suggestion) => void;
}) {
  return (
    <ul className="suggestions" id="prompt-suggestions" role="listbox" aria-label={props.label}>
      {props.suggestions.map((s, i) => (
        <li
          key={s.value}
          role="option"
          aria-selected={i === props.active}
          className={i === props.active ? 'suggestion suggestion-on' : 'suggestion'}
          onMouseDown={(e) => {
            e.preventDefault();
            props.onPick(s);
          }}
        >
          <span className="suggestion-label">{s.positions ? highlight(s.label, s.positions) : s.label}</span>
          {s.detail ? <span className="suggestion-detail">{s.detail}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function highlight(text: string, positions: number[]) {
  const marked = new Set(positions);
  return [...text].map((ch, i) => (marked.has(i) ? <b key={i}>{ch}</b> : ch));
}
