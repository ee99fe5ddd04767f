package io.gaussmix.backend.cuda;

/**
 * FULL and TIED through the third tiled kernel ({@link TiledKernel#V3}: the second's blocking on the tensor
 * cores in 3xTF32, float32): the contract cases and the second kernel's component-group and partial-block
 * shapes ({@link CudaTiled2ContractTest}), at the same float32 tolerance; on the emulator the tensor-core
 * product runs from the warp's gathered fragments as the PTX ISA lays them out.
 */
@RequiresCuda
class CudaTiled3ContractTest extends CudaTiled2ContractTest {
    @Override
    protected TiledKernel variant() {
        return TiledKernel.V3;
    }
}
