"""`spark` and `sc` in the user's namespace are the driver JVM's own SparkSession and SparkContext.

PySpark attaches to a JVM that already runs (pyspark's shell under spark-submit does the same) when
PYSPARK_GATEWAY_PORT and PYSPARK_GATEWAY_SECRET name a Py4J server: the driver started one for this
process, with this session's SparkSession behind its entry point. Wrapping those objects, rather than
building new ones, is what makes a temp view made in SQL or Scala visible here and back.
"""
import os
import sys

from . import interrupts


class SparkLink:
    def __init__(self, gateway, sc, spark):
        self.gateway = gateway
        self.sc = sc
        self.spark = spark
        self._job_group_broken = False
        self._job_tag = None

    def start_cell(self, job_group, description):
        """Puts the cell's Spark jobs in its job group and tags them with its name, so that cancelling the
        statement cancels them. The tag is what still reaches them when the cell sets a job group of its own
        (a thread has one group, which sc.setJobGroup replaces; tags add up): the driver cancels both."""
        if not job_group or self._job_group_broken:
            return
        try:
            # One Py4J round trip, not three (setJobGroup, removeJobTag, addJobTag): this is on every cell's way.
            self.gateway.entry_point.startCell(job_group, description, self._job_tag)
            self._job_tag = job_group
        except Exception as e:
            # The user may have stopped the SparkContext; plain Python still works, say it once.
            self._job_group_broken = True
            print("[sparkgate] cannot set the Spark job group (%s: %s); cancelling a statement will not "
                  "cancel its Spark jobs" % (type(e).__name__, e), file=sys.stderr)

    def forget_interrupted_call(self):
        """After an interrupt the main thread's Py4J connection may still wait for an answer to a call the
        interrupt cut short; reusing it would read that stale answer as the next one. Drop it: the next
        call opens a fresh connection (and the JVM thread behind the old one ends)."""
        client = self.gateway._gateway_client
        getter = getattr(client, "get_thread_connection", None)
        connection = getter() if getter else None
        if connection is None:
            return
        try:
            client.deque.remove(connection)
        except ValueError:
            pass
        try:
            connection.close()
        except Exception:
            pass
        client.thread_connection.connection = None


def _keep_running(sc, spark):
    """The SparkContext belongs to the session, which its Scala and SQL statements share: a notebook's
    habitual `spark.stop()` must not pull it from under them."""

    def refuse(*args, **kwargs):
        raise RuntimeError("This session's SparkContext is shared by the whole session and stops when the "
                           "session ends: delete the session instead of stopping Spark.")

    sc.stop = refuse
    spark.stop = refuse


def bind(namespace):
    """Connects to the driver's gateway and binds spark, sc and sqlContext in the namespace."""
    from pyspark.conf import SparkConf
    from pyspark.context import SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession, SQLContext

    gateway = launch_gateway()  # with PYSPARK_GATEWAY_PORT set it connects and launches nothing
    # The secret stays with this process: programs the user starts do not need it.
    os.environ.pop("PYSPARK_GATEWAY_SECRET", None)
    os.environ.pop("PYSPARK_GATEWAY_PORT", None)

    entry = gateway.entry_point
    jsc = entry.javaSparkContext()
    sc = SparkContext(conf=SparkConf(_jconf=jsc.getConf()), gateway=gateway, jsc=jsc)
    spark = SparkSession(sc, entry.sparkSession())
    if sc.master.startswith("local"):
        # Local Python workers are started by the JVM, whose environment may not know where PySpark is:
        # give them this process's path.
        python_path = os.environ.get("PYTHONPATH")
        if python_path:
            sc.environment["PYTHONPATH"] = python_path
    _keep_running(sc, spark)
    namespace.update(spark=spark, sc=sc, sqlContext=SQLContext(sc, spark))
    # SparkContext installed a SIGINT handler that cancels every job of the application; the driver
    # cancels just this statement's, and the REPL decides when an interrupt may raise.
    interrupts.install()
    return SparkLink(gateway, sc, spark)
