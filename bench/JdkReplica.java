import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * bench/serving.sh's second backend: a JDK HttpServer (a thread pool, keep-alive) that answers every request with a
 * small JSON prediction, so that the proxy's cost is measured against a backend faster than Python's.
 * Run as a source file: {@code java bench/JdkReplica.java PORT}.
 */
public final class JdkReplica {
    public static void main(String[] args) throws IOException {
        // headers and body leave in two writes: without TCP_NODELAY the body waits for the client's delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 256);
        byte[] answer = "{\"prediction\": [0], \"replica\": \"jdk\"}".getBytes(StandardCharsets.UTF_8);
        http.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        http.setExecutor(Executors.newFixedThreadPool(16));
        http.start();
        System.out.println("listening " + args[0]);
    }
}
