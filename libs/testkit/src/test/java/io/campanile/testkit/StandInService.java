package io.campanile.testkit;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for a Quarkus service in the supervisor's tests: a JVM that answers {@code /q/health/live} and
 * {@code /q/health/ready} with 200 until the file named by its second argument exists, then with 503, as a service
 * whose consumer loop stopped polling does. Starts in well under a second, so the tests need no packaged services.
 */
public final class StandInService {
    private StandInService() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path wedged = Path.of(args[1]);
        HttpServer http = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        http.createContext("/q/health", exchange -> {
            int code = Files.exists(wedged) ? 503 : 200;
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        http.start();
        System.out.println("stand-in service on " + port);
    }
}
