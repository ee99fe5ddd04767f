package io.gaussmix.spark;

import io.gaussmix.data.Matrix;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/** DataFrames of given rows in a given partition layout (row order kept), and the tests' SparkSession. */
final class SparkTestData {
    static final StructType SCHEMA = new StructType()
            .add("features", SQLDataTypes.VectorType(), true)
            .add("weight", DataTypes.DoubleType, true);

    private SparkTestData() {
    }

    /** A small local[2] session: one per test class, few shuffle partitions, no UI. */
    static SparkSession session() {
        SparkSession s = SparkSession.builder().master("local[2]").appName("gaussmix-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }

    static List<Row> rows(Matrix x, double[] w) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.rows(); i++) {
            rows.add(RowFactory.create(Vectors.dense(x.row(i)), w == null ? 1.0 : w[i]));
        }
        return rows;
    }

    /**
     * The rows in {@code partitions} contiguous slices, in order; with {@code emptyMiddle} one of them is an
     * empty partition placed in the middle (so 7 partitions hold the rows in 6 slices and 1 empty).
     */
    static Dataset<Row> frame(SparkSession spark, List<Row> rows, int partitions, boolean emptyMiddle) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rdd;
        if (!emptyMiddle) {
            rdd = sc.parallelize(rows, partitions);
        } else {
            int filled = partitions - 1;
            int firstSlices = filled / 2;
            int cut = rows.size() * firstSlices / filled;
            rdd = sc.parallelize(rows.subList(0, cut), firstSlices)
                    .union(sc.parallelize(List.<Row>of(), 1))
                    .union(sc.parallelize(rows.subList(cut, rows.size()), filled - firstSlices));
        }
        return spark.createDataFrame(rdd, SCHEMA);
    }
}
