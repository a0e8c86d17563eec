//! A tiny W3C WebDriver client (JSON over HTTP to chromedriver) for the browser test.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

use super::http;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// A chromedriver process; killed when dropped.
pub struct Driver {
    child: Child,
    addr: String,
}

/// Where chromedriver is, if installed.
pub fn chromedriver() -> Option<PathBuf> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

impl Driver {
    pub fn start(binary: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if std::net::TcpStream::connect(&addr).is_ok() {
                let status = http(&addr, "GET", "/status", &[], None);
                let v: Value = serde_json::from_slice(&status.body).unwrap_or(Value::Null);
                if v["value"]["ready"] == true {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, addr }
    }

    /// A new headless Chromium session that cannot reach any host but loopback, and saves
    /// downloads to `downloads`.
    pub fn session(&self, downloads: &Path) -> Session {
        self.session_in(downloads, "en-US")
    }

    /// [`Driver::session`] with the browser's language (its `Accept-Language`) set to `lang`.
    pub fn session_in(&self, downloads: &Path, lang: &str) -> Session {
        let lang_arg = format!("--lang={lang}");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=1280,1000", lang_arg, "--no-first-run",
                    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                ],
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                    "safebrowsing.enabled": false,
                    "intl.accept_languages": lang,
                },
            },
        }}});
        let res = self.call("POST", "/session", Some(&caps));
        let id = res["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {res}"))
            .to_owned();
        let s = Session {
            addr: self.addr.clone(),
            id,
        };
        // Allow downloads in headless mode too.
        let _ = s.try_cmd(
            "POST",
            "/goog/cdp/execute",
            json!({"cmd": "Browser.setDownloadBehavior", "params": {
                "behavior": "allow", "downloadPath": downloads.display().to_string()}}),
        );
        s
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        call(&self.addr, method, path, body)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn call(addr: &str, method: &str, path: &str, body: Option<&Value>) -> Value {
    let body = body.map(|b| b.to_string());
    let res = http(
        addr,
        method,
        path,
        &[("Content-Type", "application/json")],
        body.as_deref(),
    );
    serde_json::from_slice(&res.body)
        .unwrap_or_else(|e| panic!("chromedriver sent non-JSON ({e}): {}", res.text()))
}

pub struct Session {
    addr: String,
    id: String,
}

impl Session {
    fn try_cmd(&self, method: &str, path: &str, body: Value) -> Result<Value, String> {
        let body = if method == "GET" { None } else { Some(&body) };
        let v = call(
            &self.addr,
            method,
            &format!("/session/{}{path}", self.id),
            body,
        );
        match v["value"].get("error") {
            Some(e) => Err(format!("{e}: {}", v["value"]["message"])),
            None => Ok(v["value"].clone()),
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        self.try_cmd(method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    /// Navigate; a page that fails to load (no network) is not an error here.
    pub fn goto(&self, url: &str) {
        let _ = self.try_cmd("POST", "/url", json!({ "url": url }));
    }

    pub fn url(&self) -> String {
        self.cmd("GET", "/url", json!({}))
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub fn source(&self) -> String {
        self.cmd("GET", "/source", json!({}))
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.try_cmd(
                "POST",
                "/element",
                json!({"using": "css selector", "value": css}),
            ) {
                Ok(v) => return v[ELEMENT].as_str().unwrap().to_owned(),
                Err(e) if Instant::now() > deadline => panic!("no element {css}: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    pub fn exists(&self, css: &str) -> bool {
        self.try_cmd(
            "POST",
            "/elements",
            json!({"using": "css selector", "value": css}),
        )
        .map(|v| v.as_array().is_some_and(|a| !a.is_empty()))
        .unwrap_or(false)
    }

    /// Click; navigation errors (a blocked external host) are ignored.
    pub fn click(&self, el: &str) {
        let _ = self.try_cmd("POST", &format!("/element/{el}/click"), json!({}));
    }

    pub fn clear(&self, el: &str) {
        self.cmd("POST", &format!("/element/{el}/clear"), json!({}));
    }

    pub fn type_text(&self, el: &str, text: &str) {
        self.cmd(
            "POST",
            &format!("/element/{el}/value"),
            json!({ "text": text }),
        );
    }

    pub fn text(&self, el: &str) -> String {
        self.cmd("GET", &format!("/element/{el}/text"), json!({}))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Run a script in the page (WebDriver scripts are not subject to the page's CSP).
    pub fn script(&self, js: &str) -> Value {
        self.cmd("POST", "/execute/sync", json!({"script": js, "args": []}))
    }

    /// Run an asynchronous script: it calls `arguments[arguments.length - 1]` with its result.
    pub fn script_async(&self, js: &str) -> Value {
        self.cmd("POST", "/execute/async", json!({"script": js, "args": []}))
    }

    /// Wait until `f` holds, or panic with `what`.
    pub fn wait_for(&self, what: &str, mut f: impl FnMut(&Session) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !f(self) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} (at {})",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Save a PNG of the page as it looks.
    pub fn screenshot(&self, path: &Path) {
        let b64 = self.cmd("GET", "/screenshot", json!({}));
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    pub fn set_window(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            json!({"width": width, "height": height}),
        );
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = call(&self.addr, "DELETE", &format!("/session/{}", self.id), None);
    }
}
