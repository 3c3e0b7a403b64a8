package io.campanile.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A job's progress on the terminal: one line per status change, and a bar redrawn in place ({@code \r}) while steps
 * run. Where the output is no terminal (a pipe, a log), the bar is printed as a line at each quarter and at the end
 * of a stage instead.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean tty;
    private String status;
    private String stage;
    private int quarter = -1;
    private int drawn;

    ProgressBar(PrintWriter err, boolean tty) {
        this.err = err;
        this.tty = tty;
    }

    /** A job view: prints its status when it changed, and draws its progress when it has some. */
    void job(JsonNode view) {
        String s = view.path("status").asText();
        if (!s.equals(status)) {
            status = s;
            StringBuilder line = new StringBuilder("job ")
                    .append(view.path("id").asText())
                    .append(' ')
                    .append(s);
            if (view.hasNonNull("worker") && "RUNNING".equals(s)) {
                line.append(" on ").append(view.get("worker").asText());
                if (view.path("attempt").asInt(1) > 1) {
                    line.append(" (attempt ")
                            .append(view.get("attempt").asInt())
                            .append(')');
                }
            }
            println(line.toString());
        }
        if (view.hasNonNull("progress") && !Jobs.isTerminal(view)) {
            progress(view.get("progress"));
        }
    }

    /**
     * A progress record: a {@code progress} event ({@code stage, step, total, eta_seconds, epoch, loss,
     * images_per_second}) or a job view's {@code progress} (the same, training's extras under {@code detail}).
     */
    void progress(JsonNode p) {
        JsonNode detail = p.path("detail");
        String st = p.path("stage").asText("run");
        int step = p.path("step").asInt(0);
        int total = p.path("total").asInt(0);
        if (!st.equals(stage)) {
            stage = st;
            quarter = -1;
        }
        int q = total <= 0 ? 0 : Math.min(4, 4 * step / total);
        if (!tty && q == quarter) {
            return;
        }
        quarter = q;
        StringBuilder line = new StringBuilder(st);
        JsonNode epoch = field(p, detail, "epoch");
        if (epoch != null) {
            line.append(" epoch ").append(epoch.asInt());
        }
        int filled = total <= 0 ? 0 : Math.min(WIDTH, WIDTH * step / total);
        line.append(" [")
                .append("#".repeat(filled))
                .append("-".repeat(WIDTH - filled))
                .append("] ");
        line.append(step).append('/').append(total);
        if (total > 0) {
            line.append(String.format(Locale.ROOT, " %3d%%", 100 * step / total));
        }
        JsonNode loss = field(p, detail, "loss");
        if (loss != null) {
            line.append(String.format(Locale.ROOT, " loss %.5f", loss.asDouble()));
        }
        JsonNode ips = field(p, detail, "images_per_second");
        if (ips != null) {
            line.append(String.format(Locale.ROOT, " %.0f img/s", ips.asDouble()));
        }
        JsonNode eta = field(p, detail, "eta_seconds");
        if (eta != null) {
            line.append(String.format(Locale.ROOT, " eta %.0f s", eta.asDouble()));
        }
        draw(line.toString());
    }

    /** Ends the bar's line, so that what follows starts on a line of its own. */
    void done() {
        if (drawn > 0) {
            err.println();
            drawn = 0;
        }
        err.flush();
    }

    private static JsonNode field(JsonNode p, JsonNode detail, String name) {
        JsonNode v = p.hasNonNull(name) ? p.get(name) : detail.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private void draw(String line) {
        if (!tty) {
            err.println(line);
            err.flush();
            return;
        }
        err.print('\r' + line + " ".repeat(Math.max(0, drawn - line.length())));
        err.flush();
        drawn = line.length();
    }

    private void println(String line) {
        done();
        err.println(line);
        err.flush();
    }
}
