/**
 * Host threads: {@link io.gaussmix.parallel.UnitWorkers} cuts rows into fixed-size units that any
 * number of workers take from one queue, and returns the units' results in unit order, so every
 * multi-threaded host pass gives the same bits whatever the thread count.
 */
package io.gaussmix.parallel;
