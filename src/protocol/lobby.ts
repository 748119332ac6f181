// The HTTP answers the pages read (docs/protocol.md): the public lobby of a lab, the scenario
// catalogue, the leaderboard. The server builds them with these types and the pages import them
// (types only), so neither side re-declares a shape.
import type { I18nText } from '../sim/types.js';
import type { LabSettings, LabStatus } from './messages.js';

/** GET /api/labs/:code: what the join page and the dashboard show before a seat is taken. */
export interface LobbyInfo {
  code: string;
  title: string;
  scenarioId: string;
  status: LabStatus;
  locked: boolean;
  settings: LabSettings;
  /** per team: seats taken and seats still free */
  teams: { team: number; seats: number; free: number }[];
}

/** One entry of GET /api/scenarios. */
export interface ScenarioSummary {
  id: string;
  title: I18nText;
  description: I18nText;
  goals: { fr: string[]; en: string[] };
  concepts: string[];
  nodes: number;
  /** the scenario's node names, in order */
  nodeNames: string[];
  qdevice: boolean;
  qdeviceSeat: boolean;
  objectives: { id: string; title: I18nText; points: number }[];
  checkpoints: { id: string; title: I18nText; atMs: number }[];
  /** the cluster's networks (network design lab; absent: one flat network), for the dashboard's per-network faults */
  networks?: { id: string; vlan: number | null; roles: string[]; addrs: Record<string, string> }[];
}

/** One row of GET /api/labs/:code/teacher/leaderboard, best first. */
export interface LeaderboardRow {
  team: number;
  total: number;
  availability: number;
  incidents: number;
}
