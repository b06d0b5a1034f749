import type { Zone } from './doh-server';

/**
 * The fixture zone every test, the benchmark and the offline demo share: one domain per case the
 * verdict rules distinguish. `.test` and `.example` are reserved names (RFC 2606), so nothing here can
 * ever be a real domain.
 */
export const FIXTURE_ZONE: Zone = {
  // Microsoft 365 tenant with SIP federation through Microsoft's edge.
  '_sipfederationtls._tcp.contoso.test': {
    SRV: [{ target: 'sipfed.online.lync.com', port: 5061, priority: 100, weight: 1 }],
  },
  '_sip._tls.contoso.test': {
    SRV: [{ target: 'sipdir.online.lync.com', port: 443, priority: 100, weight: 1 }],
  },
  'contoso.test': { MX: [{ exchange: 'contoso-test.mail.protection.outlook.com', preference: 0 }] },

  // On-premises Lync edge and XMPP federation; XMPP targets in mixed priority/weight order.
  '_sipfederationtls._tcp.fabrikam.test': { SRV: [{ target: 'sip.fabrikam.test', port: 5061 }] },
  '_xmpp-server._tcp.fabrikam.test': {
    SRV: [
      { target: 'xmpp3.fabrikam.test', port: 5269, priority: 20, weight: 5 },
      { target: 'xmpp1.fabrikam.test', port: 5269, priority: 10, weight: 10 },
      { target: 'xmpp2.fabrikam.test', port: 5269, priority: 10, weight: 60 },
    ],
  },
  '_xmpp-client._tcp.fabrikam.test': {
    SRV: [{ target: 'xmpp1.fabrikam.test', port: 5222, priority: 5, weight: 0 }],
  },
  'fabrikam.test': { MX: [{ exchange: 'mail.fabrikam.test', preference: 10 }] },

  // XMPP over direct TLS only (XEP-0368).
  '_xmpps-server._tcp.jabber.test': { SRV: [{ target: 'xmpp.jabber.test', port: 5270 }] },
  '_xmpps-client._tcp.jabber.test': { SRV: [{ target: 'xmpp.jabber.test', port: 5223 }] },

  // XMPP explicitly refused (a lone "." target), no SIP record: federation is "no".
  '_xmpp-server._tcp.closed.test': { SRV: [{ target: '.', port: 0 }] },
  'closed.test': { MX: [{ exchange: '.', preference: 0 }] },

  // Exists, mail elsewhere, no federation records at all.
  'plain.test': { MX: [{ exchange: 'mx.plain.test', preference: 10 }] },

  // The authoritative servers are broken for the SIP record: federation unknown, never "no".
  '_sipfederationtls._tcp.broken.test': { rcode: 'SERVFAIL' },

  // The resolver never answers the SIP question.
  '_sipfederationtls._tcp.silent.test': { hang: true },

  // SIP record reached through a CNAME chain.
  '_sipfederationtls._tcp.alias.test': { CNAME: '_sipfederationtls._tcp.edge-alias.test', ttl: 120 },
  '_sipfederationtls._tcp.edge-alias.test': {
    SRV: [{ target: 'sipfed.online.lync.com', port: 5061 }],
    ttl: 60,
  },

  // Sovereign cloud (GCC High).
  '_sipfederationtls._tcp.agency.test': {
    SRV: [{ target: 'sipfed.online.gov.skypeforbusiness.us', port: 5061 }],
  },

  // Microsoft 365 tenant by MX alone: "Teams (likely)" without any SRV record.
  'tenant.test': { MX: [{ exchange: 'tenant-test.mail.protection.outlook.com', preference: 0 }] },

  // A Google Workspace domain still pointing its XMPP records at Google Talk, dead since 2017.
  '_xmpp-server._tcp.workspace.test': {
    SRV: [
      { target: 'xmpp-server.l.google.com', port: 5269, priority: 5 },
      { target: 'alt1.xmpp-server.l.google.com', port: 5269, priority: 20 },
    ],
  },
  'workspace.test': { MX: [{ exchange: 'aspmx.l.google.com', preference: 1 }] },

  // A Unicode domain (bücher.example), stored as its A-label.
  '_sipfederationtls._tcp.xn--bcher-kva.example': {
    SRV: [{ target: 'edge.xn--bcher-kva.example', port: 5061 }],
  },

  // A consumer provider whose XMPP records outlived its federation.
  '_xmpp-server._tcp.gmail.com': { SRV: [{ target: 'xmpp-server.l.google.com', port: 5269, priority: 5 }] },
  '_xmpp-client._tcp.gmail.com': { SRV: [{ target: 'xmpp.l.google.com', port: 5222, priority: 5 }] },
  'gmail.com': { MX: [{ exchange: 'gmail-smtp-in.l.google.com', preference: 5 }] },
};
