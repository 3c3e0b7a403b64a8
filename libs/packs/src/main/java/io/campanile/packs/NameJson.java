package io.campanile.packs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.VarianceType;
import java.io.IOException;
import java.util.function.Function;

/**
 * Jackson's view of the diffusion enums in a manifest: written and read by their {@link ManifestNames}. They are
 * named on the record components, so that every ObjectMapper writes a manifest the same way.
 */
final class NameJson {

    private NameJson() {}

    /** Writes a value as its manifest name. */
    abstract static class Writer<E> extends StdScalarSerializer<E> {
        private final transient Function<E, String> nameOf;

        Writer(Class<E> type, Function<E, String> nameOf) {
            super(type);
            this.nameOf = nameOf;
        }

        @Override
        public void serialize(E value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(nameOf.apply(value));
        }
    }

    /** Reads a manifest name, as a String field would be read; null for an unknown name. */
    abstract static class Reader<E> extends StdScalarDeserializer<E> {
        private final transient Function<String, E> byName;

        Reader(Class<E> type, Function<String, E> byName) {
            super(type);
            this.byName = byName;
        }

        @Override
        public E deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return byName.apply(ctxt.readValue(p, String.class));
        }
    }

    static final class ValueRangeWriter extends Writer<ValueRange> {
        ValueRangeWriter() {
            super(ValueRange.class, ManifestNames::of);
        }
    }

    static final class ValueRangeReader extends Reader<ValueRange> {
        ValueRangeReader() {
            super(ValueRange.class, ManifestNames::valueRange);
        }
    }

    static final class BetaScheduleWriter extends Writer<BetaSchedule> {
        BetaScheduleWriter() {
            super(BetaSchedule.class, ManifestNames::of);
        }
    }

    static final class BetaScheduleReader extends Reader<BetaSchedule> {
        BetaScheduleReader() {
            super(BetaSchedule.class, ManifestNames::betaSchedule);
        }
    }

    static final class VarianceTypeWriter extends Writer<VarianceType> {
        VarianceTypeWriter() {
            super(VarianceType.class, ManifestNames::of);
        }
    }

    static final class VarianceTypeReader extends Reader<VarianceType> {
        VarianceTypeReader() {
            super(VarianceType.class, ManifestNames::varianceType);
        }
    }
}
