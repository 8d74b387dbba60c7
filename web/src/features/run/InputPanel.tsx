/**
 * What waits for a human: the agent's question (its options as buttons, or free text) or a tool call to
 * approve or deny. Answering resumes the same Claude session.
 */
import { useState } from 'react';
import type { PendingInput, TaskDto } from '../../../../shared/api.js';
import { useAction } from '../../hooks/useAction.js';
import { useGluon } from '../../hooks/useGluon.js';
import { formatValue } from '../../ui/format.js';

export function InputPanel({ task }: { task: TaskDto }) {
  const pending = task.inputRequired ? task.pendingInput : null;
  if (!pending) return null;
  return pending.kind === 'approval' ? (
    <ApprovalPanel taskId={task.id} pending={pending} />
  ) : (
    <QuestionPanel taskId={task.id} pending={pending} />
  );
}

/** A tool call to approve, or deny with an optional reason. */
function ApprovalPanel({ taskId, pending }: { taskId: string; pending: PendingInput }) {
  const { api } = useGluon();
  const [reason, setReason] = useState('');
  const { busy, act } = useAction();
  const clear = () => setReason('');
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
          onClick={() => act(() => api.approve(taskId), 'Approved', clear)}
        >
          Approve
        </button>
        <input
          aria-label="Reason to deny"
          placeholder="Reason (optional)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy}
          onClick={() => act(() => api.deny(taskId, reason.trim() || undefined), 'Denied', clear)}
        >
          Deny
        </button>
      </div>
    </section>
  );
}

/** The agent's questions: each option a button, or a free-text answer. */
function QuestionPanel({ taskId, pending }: { taskId: string; pending: PendingInput }) {
  const { api } = useGluon();
  const [text, setText] = useState('');
  const { busy, act } = useAction();
  const questions = pending.questions?.length
    ? pending.questions
    : [{ question: pending.text ?? 'The agent asks a question.', options: [] }];
  const answer = (value: string) =>
    act(
      () => api.answer(taskId, value),
      'Answer sent',
      () => setText(''),
    );
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
