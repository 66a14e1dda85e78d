import { playScenario } from '../scenarioPlayer';
import type { Scenario } from '../scenarios';
import { runAppAgent } from './appAgent';
import type { AgentContext } from './context';
import { hasSelection } from './selectionEdit';
import { runSelectionAgent } from './selectionAgent';

/** The slug the demo agent answers, like a deployment's apiSlug on the real service. */
export const demoAgentSlug = 'demo';

/**
 * Chooses what the demo agent does for a request: a scripted scenario when one was resolved,
 * an edit of the selection when the request carries one, otherwise an app.
 */
export function runDemoAgent(ctx: AgentContext, scenario: Scenario | undefined): Promise<void> {
  if (scenario) return playScenario(ctx, scenario);
  if (hasSelection(ctx.request.context)) return runSelectionAgent(ctx);
  return runAppAgent(ctx);
}
