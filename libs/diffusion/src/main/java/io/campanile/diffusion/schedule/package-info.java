/** DDPM noise schedules (beta and alpha-bar tables) as configured in diffusers. */
package io.campanile.diffusion.schedule;
