print("wasmoon")
