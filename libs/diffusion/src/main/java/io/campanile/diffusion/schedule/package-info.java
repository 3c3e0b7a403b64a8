/**
 * DDPM noise schedules (beta and alpha-bar tables), the DDPM sampler step ({@link
 * DdpmScheduler}, learned-range or fixed variances, dynamic thresholding) and
 * timestep lists, as configured in diffusers for DeepFloyd IF and in the CS180 notebooks.
 */
package io.campanile.diffusion.schedule;
