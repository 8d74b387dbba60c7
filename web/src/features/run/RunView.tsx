/**
 * The run details of a task (in a modal over the board, or as its own page): a header with status,
 * project, duration and cost (RunHeader.tsx), what waits for a human, the actions, and the tabs.
 * Mount it with `key={taskId}`: its event stream belongs to one task.
 */
import { useState } from 'react';
import type { TaskDto } from '../../../../shared/api.js';
import { useTaskEvents } from '../../hooks/useTaskEvents.js';
import type { EventStore } from '../../stores/event-store.js';
import { Tabs } from '../../ui/Tabs.js';
import { AttachmentImage } from './AttachmentImage.js';
import { attachmentsOf, AttachmentsTab } from './AttachmentsTab.js';
import { CommitsTab } from './CommitsTab.js';
import { ErrorsTab } from './ErrorsTab.js';
import { FilesTab } from './FilesTab.js';
import { HistoryTab } from './HistoryTab.js';
import { InputPanel } from './InputPanel.js';
import { LoopTab } from './LoopTab.js';
import { RunActions } from './RunActions.js';
import { RunHeader } from './RunHeader.js';
import { StreamTab } from './StreamTab.js';
import type { OutputModel } from './output-model.js';
import { useOutputRows } from './useOutputRows.js';

type TabId = 'output' | 'errors' | 'messages' | 'commits' | 'files' | 'attachments' | 'loop' | 'history';

/** The open tab's content; keyed by the tab, so each tab mounts afresh (the two stream tabs keep apart). */
function RunTab(props: { tab: TabId; task: TaskDto; store: EventStore; model: OutputModel }) {
  const { tab, task, store, model } = props;
  switch (tab) {
    case 'output':
      return <StreamTab store={store} model={model} mode="output" />;
    case 'messages':
      return (
        <StreamTab
          store={store}
          model={model}
          mode="messages"
          header={
            <div className="prompt-bubble">
              <span className="row-label">prompt</span> {task.prompt}
              {attachmentsOf(task).images.map((a) => (
                <AttachmentImage key={a.id} id={a.id} name={a.name} className="thumb-img" />
              ))}
            </div>
          }
        />
      );
    case 'errors':
      return <ErrorsTab store={store} model={model} task={task} />;
    case 'commits':
      return <CommitsTab task={task} />;
    case 'files':
      return <FilesTab task={task} />;
    case 'attachments':
      return <AttachmentsTab task={task} />;
    case 'loop':
      return <LoopTab task={task} store={store} />;
    case 'history':
      return <HistoryTab task={task} />;
  }
}

export function RunView({ task, onClose }: { task: TaskDto; onClose?: () => void }) {
  const store = useTaskEvents(task.id);
  const model = useOutputRows(store, task.worktreePath);
  const [tab, setTab] = useState<TabId>('output');
  const tabs = [
    { id: 'output', label: 'Output' },
    { id: 'errors', label: 'Errors', badge: model.errorCount || null },
    { id: 'messages', label: 'Messages' },
    { id: 'commits', label: 'Commits' },
    { id: 'files', label: 'Files' },
    { id: 'attachments', label: 'Attachments' },
    { id: 'loop', label: 'Loop', badge: task.loop ? task.iterations : null },
    { id: 'history', label: 'History' },
  ] as const;

  return (
    <div className="run" data-testid="run-view" data-task-id={task.id} data-status={task.status}>
      <RunHeader task={task} onClose={onClose} />
      <InputPanel task={task} />
      <RunActions task={task} />
      <Tabs label="Run details" tabs={tabs} value={tab} onChange={setTab} />
      <div className="run-body">
        <RunTab key={tab} tab={tab} task={task} store={store} model={model} />
      </div>
    </div>
  );
}
