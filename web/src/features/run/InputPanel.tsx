/**
 * What waits for a human: the agent's question (its options as buttons, or free text) or a tool call to
 * approve or deny. Answering resumes the same Claude session.
 */
import { useState } from 'react';
import type { TaskDto } from '../../../../shared/api.js';
import { useAction } from '../../hooks/useAction.js';
import { useGluon } from '../../hooks/useGluon.js';
import { formatValue } from '../../ui/format.js';

export function InputPanel({ task }: { task: TaskDto }) {
  const { api } = useGluon();
  const [text, setText] = useState('');
  const { busy, act } = useAction();
  const clearText = () => setText('');
  const pending = task.pendingInput;
  if (!task.inputRequired || !pending) return null;

  if (pending.kind === 'approval') {
    return (
      <section className="input-panel" aria-label="Approval required" data-testid="approval-panel">
        <h3>Approve {pending.toolName ?? 'this tool call'}?</h3>
        {pending.reason ? <p>{pending.reason}</p> : null}
        <pre>{formatValue(pending.toolInput)}</pre>
        <div className="row">
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy}
            onClick={() => act(() => api.approve(task.id), 'Approved', clearText)}
          >
            Approve
          </button>
          <input
            aria-label="Reason to deny"
            placeholder="Reason (optional)"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <button
            type="button"
            className="btn btn-danger"
            disabled={busy}
            onClick={() => act(() => api.deny(task.id, text.trim() || undefined), 'Denied', clearText)}
          >
            Deny
          </button>
        </div>
      </section>
    );
  }

  const questions = pending.questions?.length
    ? pending.questions
    : [{ question: pending.text ?? 'The agent asks a question.', options: [] }];
  const answer = (value: string) => act(() => api.answer(task.id, value), 'Answer sent', clearText);
  return (
    <section className="input-panel" aria-label="Question from the agent" data-testid="question-panel">
      {questions.map((q, i) => (
        <div key={i} className="question">
          {q.header ? <span className="hint">{q.header}</span> : null}
          <h3>{q.question}</h3>
          <div className="row">
            {q.options.map((o) => (
              <button
                key={o.label}
                type="button"
                className="btn"
                disabled={busy}
                title={o.description}
                onClick={() => answer(o.label)}
              >
                {o.label}
              </button>
            ))}
          </div>
        </div>
      ))}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) answer(text.trim());
        }}
      >
        <input
          aria-label="Your answer"
          placeholder="Your answer"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()}>
          Answer
        </button>
      </form>
    </section>
  );
}
