package io.gaussmix.spark;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;

/** Schema checks and the output columns shared by the estimator and the model. */
final class Columns {
    private Columns() {
    }

    static void requireVector(StructType schema, String col) {
        StructField f = field(schema, col, "features");
        if (!f.dataType().equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException("features column '" + col + "' is of type " + f.dataType().simpleString()
                    + "; it must be a vector (org.apache.spark.ml.linalg.Vector, e.g. from VectorAssembler)");
        }
    }

    static void requireNumeric(StructType schema, String col) {
        StructField f = field(schema, col, "weight");
        if (!(f.dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("weight column '" + col + "' is of type " + f.dataType().simpleString()
                    + "; it must be numeric");
        }
    }

    /**
     * The schema with the prediction (int) and probability (vector) columns appended, and the per-row
     * log-likelihood (double) when {@code logLikelihoodCol} is not null.
     */
    static StructType withOutputs(StructType schema, String predictionCol, String probabilityCol,
                                  String logLikelihoodCol) {
        for (String c : new String[]{predictionCol, probabilityCol, logLikelihoodCol}) {
            if (c != null && Arrays.asList(schema.fieldNames()).contains(c)) {
                throw new IllegalArgumentException("output column '" + c + "' already exists in the input");
            }
        }
        StructType out = schema.add(predictionCol, DataTypes.IntegerType, false)
                .add(probabilityCol, SQLDataTypes.VectorType(), false);
        return logLikelihoodCol == null ? out : out.add(logLikelihoodCol, DataTypes.DoubleType, false);
    }

    private static StructField field(StructType schema, String col, String what) {
        if (!Arrays.asList(schema.fieldNames()).contains(col)) {
            throw new IllegalArgumentException(what + " column '" + col + "' does not exist; the columns are "
                    + String.join(", ", schema.fieldNames()));
        }
        return schema.apply(col);
    }
}
