import { ApiError } from '../api/client';
import type { SocietyEvent } from '../api/types/activity';
import type { NegotiateResponse } from '../api/types/live';
import { TransportUnavailableError, type StreamTransport } from './stream';

/**
 * The live stream through the official Web PubSub client with the reliable JSON subprotocol, so short network
 * blips are recovered inside the client with no message lost. The stream owner does the reconnecting for
 * anything longer (autoReconnect off): one backoff policy, one status, and a fresh token from negotiate each time.
 */
const START_TIMEOUT_MS = 15_000;

/**
 * The client is about 40 KB of the first bundle's 125 KB (with its polyfills), and nothing on screen needs it: the
 * first rows come from /api/activity. It is fetched the first time the stream connects, alongside negotiate, and
 * kept; a failed download rejects that attempt like any connection failure, so the owner polls and retries.
 */
let clientModule: Promise<typeof import('@azure/web-pubsub-client')> | null = null;
function loadClient() {
  clientModule ??= import('@azure/web-pubsub-client').catch((error: unknown) => {
    clientModule = null;
    throw error;
  });
  return clientModule;
}

export function createWebPubSubTransport(negotiate: () => Promise<NegotiateResponse>): StreamTransport {
  return {
    async open({ onEvent, onClose }) {
      const client$ = loadClient();
      let first: NegotiateResponse;
      try {
        first = await negotiate();
      } catch (error) {
        // Nobody waits for the download now; its failure, if any, is the next attempt's.
        client$.catch(() => {});
        if (error instanceof ApiError && error.status === 503) throw new TransportUnavailableError(error.message);
        throw error;
      }
      const { WebPubSubClient, WebPubSubJsonReliableProtocol } = await client$;

      let handedOut = false;
      const client = new WebPubSubClient(
        {
          // The first URL is the one we just negotiated; any later call (the client's own recovery) gets a fresh token.
          getClientAccessUrl: async () => {
            if (!handedOut) {
              handedOut = true;
              return absolute(first.url);
            }
            return absolute((await negotiate()).url);
          },
        },
        { protocol: WebPubSubJsonReliableProtocol(), autoReconnect: false },
      );

      let closedByUs = false;
      // Until start() succeeds, a failure is the rejection of open(); only a connection that was up can "close".
      let opened = false;
      client.on('server-message', (e) => {
        const data = e.message.data;
        const event = (typeof data === 'string' ? JSON.parse(data) : data) as SocietyEvent;
        if (event && typeof event === 'object' && typeof event.id === 'string') onEvent(event);
      });
      client.on('stopped', () => {
        if (opened && !closedByUs) onClose('The live stream stopped.');
      });

      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        // A relay that accepts the socket but never says "connected" must not leave the owner waiting forever.
        await Promise.race([
          client.start(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('The live stream did not answer within 15 s.')), START_TIMEOUT_MS);
          }),
        ]);
      } catch (error) {
        closedByUs = true;
        client.stop();
        throw error;
      } finally {
        clearTimeout(timer);
      }
      opened = true;
      return {
        close() {
          closedByUs = true;
          client.stop();
        },
      };
    },
  };
}

/** negotiate may answer a path on this origin (behind devhost or a Static Web App); the client needs ws(s)://. */
function absolute(url: string): string {
  if (/^wss?:\/\//i.test(url)) return url;
  const resolved = new URL(url, window.location.href);
  resolved.protocol = resolved.protocol === 'https:' ? 'wss:' : 'ws:';
  return resolved.toString();
}
