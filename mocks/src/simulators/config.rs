//! Writing the gateway's TOML configuration tables that point its adapters at the simulators.
//! Each simulator writes its own tables with [`Table`]; what several of them share (the base
//! URL, the SOAP service account, the OAuth client) is written here once.

use crate::credentials::SimulatorCredentials;

/// One table of the gateway's configuration, written key by key.
pub(crate) struct Table {
    name: &'static str,
    text: String,
}

impl Table {
    /// `[name]` with `base_url` set to the simulator's URL.
    pub(crate) fn new(name: &'static str, url: &str) -> Self {
        Self { name, text: format!("[{name}]\n") }.value("base_url", url)
    }

    /// A `key = "value"` line.
    pub(crate) fn value(mut self, key: &str, value: &str) -> Self {
        self.text.push_str(&format!("{key} = {}\n", quoted(value)));
        self
    }

    /// The SOAP caller: the institution its request headers name, and the WS-Security
    /// service account it signs in with.
    pub(crate) fn service_account(self, credentials: &SimulatorCredentials, username: &str, password: &str) -> Self {
        self.value("institution", &credentials.institution).value("username", username).value("password", password)
    }

    /// The table as text.
    pub(crate) fn finish(self) -> String {
        self.text
    }

    /// The table followed by its `[<name>.oauth]` sub-table: the OAuth client id and the
    /// client's private key, inline.
    pub(crate) fn with_oauth(self, credentials: &SimulatorCredentials) -> String {
        let oauth = Table { name: self.name, text: format!("[{}.oauth]\n", self.name) };
        let key = credentials.client_key_pem.trim_end();
        let oauth = oauth.value("client_id", &credentials.client_id);
        format!("{}{}client_key_pem = \"\"\"\n{key}\n\"\"\"\n", self.text, oauth.text)
    }
}

/// A TOML basic string.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}
