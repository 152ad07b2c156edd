//! Just enough HTTP/1.1 for one author's browser on loopback: one request per connection, the
//! head parsed by `httparse` within fixed limits (16 KiB, 64 headers), a body only with a
//! declared `Content-Length` no larger than the route's cap (checked before a byte of it is
//! read: a huge declared length costs nothing), the answer closed after it is sent.

use std::io::{Read, Write};
use std::net::TcpStream;

/// Largest request head.
const MAX_HEAD: usize = 16 << 10;

/// A request's head, and its connection.
pub struct Request {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// The path and query as sent.
    pub target: String,
    headers: Vec<(String, String)>,
    stream: TcpStream,
    /// Bytes read past the head (the start of the body).
    leftover: Vec<u8>,
}

/// A failure to read a request (answered 400 / 411 / 413, or not at all when the peer left).
#[derive(Debug)]
pub enum ReadError {
    /// The connection failed or closed early.
    Io,
    /// Not HTTP, or beyond the limits.
    Bad(&'static str),
}

impl Request {
    /// Reads a request's head from `stream`.
    pub fn read(mut stream: TcpStream) -> Result<Request, (Option<TcpStream>, ReadError)> {
        let mut buf = Vec::with_capacity(1024);
        let mut chunk = [0u8; 2048];
        let end = loop {
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            if buf.len() > MAX_HEAD {
                return Err((Some(stream), ReadError::Bad("request head too large")));
            }
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return Err((None, ReadError::Io)),
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(&buf[..end]) {
            Ok(httparse::Status::Complete(_)) => {}
            _ => return Err((Some(stream), ReadError::Bad("malformed request"))),
        }
        let method = req.method.unwrap_or("").to_string();
        let target = req.path.unwrap_or("").to_string();
        let headers = req
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_ascii_lowercase(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect();
        let leftover = buf[end..].to_vec();
        Ok(Request {
            method,
            target,
            headers,
            stream,
            leftover,
        })
    }

    /// The value of header `name` (lower case), the first when repeated.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body, at most `cap` bytes: `Err(Some(cap))` when the declared length is larger,
    /// `Err(None)` when it is not declared (chunked) or the connection fails.
    pub fn body(&mut self, cap: u64) -> Result<Vec<u8>, Option<u64>> {
        if self.header("transfer-encoding").is_some() {
            return Err(None);
        }
        let len: u64 = match self.header("content-length") {
            Some(v) => v.trim().parse().map_err(|_| None)?,
            None => 0,
        };
        if len > cap {
            return Err(Some(cap));
        }
        let len = len as usize;
        let mut out = std::mem::take(&mut self.leftover);
        out.truncate(len);
        if out.len() < len {
            let rest = len - out.len();
            let mut more = Vec::with_capacity(rest);
            (&mut self.stream)
                .take(rest as u64)
                .read_to_end(&mut more)
                .map_err(|_| None)?;
            if more.len() < rest {
                return Err(None);
            }
            out.extend_from_slice(&more);
        }
        Ok(out)
    }

    /// Sends the answer and closes the connection.
    pub fn respond(self, reply: Reply) {
        let head_only = self.method == "HEAD";
        send(self.stream, &reply, head_only);
    }
}

/// Answers a request that could not be read, when the connection is still there.
pub fn reject(stream: TcpStream, why: &'static str) {
    let reply = Reply {
        status: 400,
        headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
        body: format!("{why}\n").into_bytes(),
    };
    send(stream, &reply, false);
}

/// Writes `reply` (its body left out for a `HEAD`) and closes the connection.
fn send(mut stream: TcpStream, reply: &Reply, head_only: bool) {
    let reason = match reply.status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        _ => "Error",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let body: &[u8] = if head_only { &[] } else { &reply.body };
    // A failure means the browser went away: nothing to do.
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|_| stream.write_all(body))
        .and_then(|_| stream.flush());
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

/// An answer.
#[derive(Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers besides the length and `Connection`.
    pub headers: Vec<(&'static str, String)>,
    /// Body.
    pub body: Vec<u8>,
}
