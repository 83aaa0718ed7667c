//! How the server meets the open internet: who may frame its pages, how fast one address
//! or player may go, how much a player may store, and how long a connection may dawdle.
//!
//! Policy: the defaults suit a public deployment; every limit is a flag (and `REFUND_*`
//! variable) so an operator can loosen it without a rebuild, and `0` turns a rate limit
//! off. Rate limits are counted in each process (several processes behind one address
//! each allow the full rate), which is enough to blunt guessing and flooding.

use clap::Args;

/// Limits and timeouts at the edge.
#[derive(Debug, Clone, Args)]
pub struct EdgeArgs {
    /// Who may show the pages in a frame (`frame-ancestors` of the Content-Security-Policy),
    /// e.g. `'self' https://game.example.com`.
    #[arg(long, env = "REFUND_FRAME_ANCESTORS", default_value = "'self'")]
    pub frame_ancestors: String,
    /// A request header that carries the client's address when a reverse proxy sits in
    /// front (e.g. `X-Real-IP`); only set it when the proxy overwrites that header.
    #[arg(long, env = "REFUND_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,
    /// Launch-ticket exchanges per minute from one address.
    #[arg(long, env = "REFUND_LAUNCHES_PER_MINUTE", default_value_t = 30)]
    pub launches_per_minute: u32,
    /// Console sign-in attempts per minute from one address.
    #[arg(long, env = "REFUND_LOGINS_PER_MINUTE", default_value_t = 10)]
    pub logins_per_minute: u32,
    /// Tracking-link look-ups per minute from one address.
    #[arg(long, env = "REFUND_TRACKING_PER_MINUTE", default_value_t = 60)]
    pub tracking_per_minute: u32,
    /// Evidence uploads per minute by one player.
    #[arg(long, env = "REFUND_UPLOADS_PER_MINUTE", default_value_t = 30)]
    pub uploads_per_minute: u32,
    /// Case submissions (and appeals) per minute by one player.
    #[arg(long, env = "REFUND_SUBMISSIONS_PER_MINUTE", default_value_t = 6)]
    pub submissions_per_minute: u32,
    /// Bytes of evidence one player may keep stored, attached or not.
    #[arg(long, env = "REFUND_PLAYER_QUOTA_BYTES", default_value_t = 200 * 1024 * 1024)]
    pub player_quota_bytes: u64,
    /// Seconds a client has to send a request's headers; on a kept-alive connection the
    /// wait for the next request counts too.
    #[arg(long, env = "REFUND_HEADER_TIMEOUT_SECONDS", default_value_t = 10)]
    pub header_timeout_seconds: u64,
    /// Seconds a client has to send a request's whole body (an upload of the largest
    /// file at a slow phone's speed fits with room to spare).
    #[arg(long, env = "REFUND_BODY_TIMEOUT_SECONDS", default_value_t = 300)]
    pub body_timeout_seconds: u64,
    /// Seconds a connection may pass without a byte either way before it is closed
    /// (event streams send a keep-alive every 15 seconds, so they stay open).
    #[arg(long, env = "REFUND_IDLE_TIMEOUT_SECONDS", default_value_t = 60)]
    pub idle_timeout_seconds: u64,
}

impl Default for EdgeArgs {
    fn default() -> Self {
        Self {
            frame_ancestors: "'self'".to_owned(),
            client_ip_header: None,
            launches_per_minute: 30,
            logins_per_minute: 10,
            tracking_per_minute: 60,
            uploads_per_minute: 30,
            submissions_per_minute: 6,
            player_quota_bytes: 200 * 1024 * 1024,
            header_timeout_seconds: 10,
            body_timeout_seconds: 300,
            idle_timeout_seconds: 60,
        }
    }
}

impl EdgeArgs {
    /// No rate limits (tests that do not test them, and measurements).
    #[must_use]
    pub fn without_rate_limits(mut self) -> Self {
        self.launches_per_minute = 0;
        self.logins_per_minute = 0;
        self.tracking_per_minute = 0;
        self.uploads_per_minute = 0;
        self.submissions_per_minute = 0;
        self
    }
}
