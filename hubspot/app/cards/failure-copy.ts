/**
 * What both cards say when they cannot show their data, for the failures that read the same on any
 * record (no answer, an answer the card does not understand, HubSpot access lost, a misconfigured
 * build). Each card keeps the words that name its record (no access, not found, no record id).
 */

/** How a card's failure is shown: title, plain-words explanation, whether retrying can help. */
export interface FailureCopy {
  title: string;
  message: string;
  retry: boolean;
  type: 'error' | 'lock' | 'support';
}

/** The fields of a card failure the shared copy reads. */
export interface FailureFacts {
  kind: string;
  status?: number | undefined;
  code?: string | undefined;
  detail?: string | undefined;
  requestId?: string | undefined;
}

/** ` (Error code: X, request Y)` to quote to support, '' when the backend sent neither. */
export function supportReference(failure: FailureFacts): string {
  const reference = [
    failure.code ? `Error code: ${failure.code}` : undefined,
    failure.requestId ? `request ${failure.requestId}` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(', ');
  return reference === '' ? '' : ` (${reference})`;
}

/**
 * The copy shared by the cards, or undefined for a failure the card describes itself. `what` names
 * the card in titles ("Stage guidance"); `timeoutMs` is its request timeout.
 */
export function sharedFailureCopy(
  failure: FailureFacts,
  card: { what: string; timeoutMs: number },
): FailureCopy | undefined {
  const quote = supportReference(failure);
  const failed = `${card.what} didn't load`;
  switch (failure.kind) {
    case 'unreachable':
      return {
        type: 'error',
        title: failed,
        message: `Pillars' server didn't answer within ${card.timeoutMs / 1000} seconds. Check your connection and try again; if it keeps failing, contact Pillars support.`,
        retry: true,
      };
    case 'invalid-response':
      return {
        type: 'error',
        title: failed,
        message:
          "Pillars' server sent an answer this card doesn't understand, which usually means the app is being updated. Try again in a minute.",
        retry: true,
      };
    case 'server':
      if (failure.code === 'HUBSPOT_AUTH_EXPIRED' || failure.code === 'HUBSPOT_MISSING_SCOPE') {
        return {
          type: 'lock',
          title: 'Pillars needs to be reconnected',
          message: `${failure.detail ?? 'Pillars has lost its access to HubSpot.'} A Super Admin can reinstall Pillars from Marketplace › Connected apps; then try again${quote}.`,
          retry: true,
        };
      }
      return undefined;
    case 'misconfigured':
      return {
        type: 'support',
        title: "Pillars isn't set up correctly",
        message: `This build of the app has no usable backend address (${failure.detail ?? 'BACKEND_ORIGIN'}). The app's developer needs to upload it again with a profile that sets BACKEND_ORIGIN.`,
        retry: false,
      };
    default:
      return undefined;
  }
}

/** HubSpot did not vouch for the request (401): the same on every card. */
export const UNCONFIRMED_ACCESS = {
  type: 'lock',
  title: "Pillars couldn't confirm your access",
  message:
    'HubSpot did not vouch for this request, or Pillars is no longer connected to this account. Try again; if it keeps happening, ask a Super Admin to reinstall Pillars from Marketplace › Connected apps',
  retry: true,
} as const satisfies FailureCopy;
