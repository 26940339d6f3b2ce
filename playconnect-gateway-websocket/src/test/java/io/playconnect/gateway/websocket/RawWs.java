package io.playconnect.gateway.websocket;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written by hand on a plain socket, for what well-behaved clients cannot do:
 * send invalid UTF-8 or oversized frames, read the HTTP status of a refused handshake, or stop
 * reading altogether.
 */
final class RawWs implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** The status and headers (lower-case names) of the handshake answer. */
    record Response(int status, Map<String, String> headers) {
    }

    record Frame(int opcode, byte[] payload) {
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final Response response;

    private RawWs(Socket socket, Response response) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.response = response;
    }

    /** Sends a handshake for {@code pathAndQuery}; {@code receiveBuffer} 0 keeps the default. */
    static RawWs connect(URI wsUri, String pathAndQuery, Map<String, String> headers, int receiveBuffer) {
        try {
            Socket s = new Socket();
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.connect(new InetSocketAddress(wsUri.getHost(), wsUri.getPort()), 5000);
            s.setSoTimeout((int) WsClient.WAIT.toMillis());
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            StringBuilder req = new StringBuilder()
                    .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(wsUri.getHost()).append(':').append(wsUri.getPort()).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n")
                    .append("Sec-WebSocket-Version: 13\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append("\r\n");
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new RawWs(s, readResponse(s.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status of a plain (non-upgrade) GET of {@code path}. */
    static int plainGet(URI wsUri, String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(wsUri.getHost(), wsUri.getPort()), 5000);
            s.setSoTimeout((int) WsClient.WAIT.toMillis());
            String req = "GET " + path + " HTTP/1.1\r\nHost: " + wsUri.getHost() + "\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            return readResponse(s.getInputStream()).status();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RawWs connect(URI wsUri, String token) {
        return connect(wsUri, wsUri.getPath() + "?token=" + token, Map.of(), 0);
    }

    private static Response readResponse(InputStream in) throws IOException {
        String status = readLine(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), headers);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed in the handshake answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    void sendText(String text) {
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** One masked frame, as a client must send it. */
    void sendFrame(int opcode, byte[] payload, boolean fin) {
        try {
            out.write(frame(opcode, payload, fin));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes bytes as they are (several prepared frames at once, say). */
    void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] frame(int opcode, byte[] payload, boolean fin) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            f.write(0x80 | n);
        } else if (n < 65536) {
            f.write(0x80 | 126);
            f.write(n >>> 8);
            f.write(n);
        } else {
            f.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) ((long) n >>> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask, 0, 4);
        for (int i = 0; i < n; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        return f.toByteArray();
    }

    /** The next frame from the server (servers do not mask). */
    Frame readFrame() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (readByte() << 8) | readByte();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte();
            }
        }
        byte[] payload = in.readNBytes((int) len);
        if (payload.length < len) {
            throw new EOFException("connection closed inside a frame");
        }
        return new Frame(b0 & 0x0f, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed");
        }
        return b;
    }

    /** Reads until the server's close frame and returns its code; -1 when the connection ends without one. */
    int awaitCloseCode() {
        return awaitCloseCode(m -> { });
    }

    /** As {@link #awaitCloseCode()}, handing each text message read on the way to {@code seen}. */
    int awaitCloseCode(java.util.function.Consumer<Msg> seen) {
        try {
            while (true) {
                Frame f = readFrame();
                if (f.opcode() == CLOSE) {
                    return f.closeCode();
                }
                if (f.opcode() == TEXT) {
                    seen.accept(Msg.parse(f.text()));
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither closed nor sent a close frame within " + WsClient.WAIT);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Reads until a text frame and returns it. */
    Msg nextMessage() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == TEXT) {
                return Msg.parse(f.text());
            }
            if (f.opcode() == CLOSE) {
                throw new AssertionError("closed with " + f.closeCode() + " while a message was expected");
            }
        }
    }

    /** Whether the server has closed the TCP connection (reads hit end of stream). */
    boolean isClosedByServer() {
        try {
            socket.setSoTimeout(50);
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a test socket that the server may already have closed.
        }
    }
}
