/**
 * Chat ↔ project links: `/link <project>` in a Discord channel (or a Telegram group) makes `/new` there
 * target that project, and sends that project's notifications there. Kept in `$GLUON_HOME/bots/links.json`.
 */
import path from 'node:path';
import { z } from 'zod';
import { botsDir, readJson, writeJsonSync } from './json-file.js';
import type { SurfaceName } from './reply.js';

const fileSchema = z.object({
  telegram: z.record(z.string(), z.string()).default({}),
  discord: z.record(z.string(), z.string()).default({}),
});

export interface Links {
  /** The project linked to a chat, if any. */
  projectOf(surface: SurfaceName, chatId: string): string | null;
  /** Links a chat to a project, or removes its link (null). */
  set(surface: SurfaceName, chatId: string, project: string | null): void;
  /** The chats linked to a project, oldest link first. */
  chatsOf(surface: SurfaceName, project: string): string[];
}

export function createLinks(home: string): Links {
  const file = path.join(botsDir(home), 'links.json');
  const links: Record<SurfaceName, Record<string, string>> = readJson(file, fileSchema, () => ({
    telegram: {},
    discord: {},
  }));
  return {
    projectOf: (surface, chatId) => links[surface][chatId] ?? null,
    set(surface, chatId, project) {
      const table = links[surface];
      delete table[chatId];
      if (project !== null) table[chatId] = project;
      writeJsonSync(file, links);
    },
    chatsOf: (surface, project) =>
      Object.entries(links[surface])
        .filter(([, linked]) => linked === project)
        .map(([chatId]) => chatId),
  };
}
