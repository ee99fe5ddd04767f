/** EM orchestration on the host: initialisers, the iteration loop and the shared float64 M-step. */
package io.gaussmix.em;
